"""The HTTP edge: the original League App's routes, /api/v1 and a web page, all over the bus."""
