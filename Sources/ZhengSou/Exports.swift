// The facade's public API uses these modules' types (Segmenter, StoredDocument, SearchOptions,
// BM25Parameters, ...): re-export them so `import ZhengSou` is all a client needs.
@_exported import ZhengSouAnalysis
@_exported import ZhengSouIndex
@_exported import ZhengSouQuery
@_exported import ZhengSouRanking
