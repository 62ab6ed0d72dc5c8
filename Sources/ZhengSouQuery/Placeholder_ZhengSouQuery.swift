// Placeholder for module ZhengSouQuery.
