{
  "targets": [
    {
      "target_name": "shuan_discovery",
      "sources": ["native/discovery/csv_scan.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O3"]
    }
  ]
}
