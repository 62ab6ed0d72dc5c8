// Placeholder for module ZhengSouRanking.
