import ZhengSou

/// Reads `--dict FILE` for `index` and `segment`, turning a parse error into a usage error
/// (exit status 2) that names the file and line.
enum UserDictionaryFile {
  static func load(_ path: String) throws -> UserDictionary {
    do { return try UserDictionary(contentsOf: path) } catch let e as UserDictionaryError {
      throw ZhengSouError.userDictionary(e)
    }
  }
}
