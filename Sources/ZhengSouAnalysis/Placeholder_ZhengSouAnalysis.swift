// Placeholder for module ZhengSouAnalysis.
