print("zhengsou: not built yet")
