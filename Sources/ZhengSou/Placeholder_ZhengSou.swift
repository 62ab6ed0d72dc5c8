// Placeholder for module ZhengSou.
