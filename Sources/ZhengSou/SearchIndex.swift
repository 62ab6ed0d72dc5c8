import ZhengSouAnalysis
import ZhengSouIndex
import ZhengSouQuery

/// An index opened for searching, with the segmenter its queries must be analysed by.
///
/// Opening refuses an index whose stored segmenter identity differs from this build's: its terms
/// were produced by other rules, and queries would silently miss. An index built with a user
/// dictionary carries it (section USER), and queries are segmented with it, so a dictionary word
/// typed in a query is the same single term the documents were indexed with. Not thread-safe (one
/// segmenter).
public final class SearchIndex {
  public let reader: IndexReader
  public let segmenter: Segmenter
  let parser: QueryParser
  let searcher: Searcher

  public init(path: String, segmenterOptions: SegmenterOptions = .init()) throws {
    do { reader = try IndexReader(path: path) } catch { throw ZhengSouError.index(error) }
    var options = segmenterOptions
    if let text = reader.userDictionary {
      do { options.userDictionary = try UserDictionary(text: text) } catch let e as UserDictionaryError {
        throw ZhengSouError.userDictionary(UserDictionaryError(source: "\(path) (section USER)", line: e.line, message: e.message))
      }
    }
    segmenter = try Segmenter(options: options)
    guard reader.segmenterIdentity == segmenter.identity else {
      throw ZhengSouError.segmenterMismatch(path: path, index: reader.segmenterIdentity, current: segmenter.identity)
    }
    parser = QueryParser(segmenter: segmenter)
    searcher = Searcher(index: reader)
  }

  /// Whether the index stores the documents' texts, or only their ids (`IndexBuildOptions.storesText`).
  public var storesText: Bool { reader.metadata.pairs.first { $0.key == IndexBuildOptions.storedKey }?.value != "ids" }

  public func parse(_ query: String) throws -> ParsedQuery {
    do { return try parser.parse(query) } catch { throw ZhengSouError.query(error) }
  }

  /// Ranked document ordinals only (what benchmarks time).
  public func searchOrdinals(_ query: String, options: SearchOptions = .init()) throws -> (hits: [SearchHit], matches: MatchCount) {
    let parsed = try parse(query)
    do { return try searcher.search(parsed, options: options) } catch { throw ZhengSouError.index(error) }
  }

  /// Ranked results with stored fields, highlighted titles and snippets.
  public func search(_ query: String, options: SearchOptions = .init(), snippetLength: Int = 100) throws -> SearchResponse {
    let started = monotonicSeconds()
    let parsed = try parse(query)
    let found: (hits: [SearchHit], matches: MatchCount)
    do { found = try searcher.search(parsed, options: options) } catch { throw ZhengSouError.index(error) }
    let elapsed = (monotonicSeconds() - started) * 1000
    let highlighter = Highlighter(segmenter: segmenter, query: parsed)
    var results: [SearchResult] = []
    for (i, hit) in found.hits.enumerated() {
      let doc: StoredDocument
      do { doc = try reader.document(hit.document) } catch { throw ZhengSouError.index(error) }
      results.append(SearchResult(
        rank: i + 1, ordinal: hit.document, score: hit.score, document: doc,
        title: highlighter.highlight(doc.title), snippet: highlighter.snippet(of: doc.body, length: snippetLength)))
    }
    return SearchResponse(results: results, matches: found.matches, searchMilliseconds: elapsed)
  }
}
