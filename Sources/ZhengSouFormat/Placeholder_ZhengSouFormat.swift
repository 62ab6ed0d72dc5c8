// Placeholder for module ZhengSouFormat.
