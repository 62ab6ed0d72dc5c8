// Placeholder for module ZhengSouIndex.
