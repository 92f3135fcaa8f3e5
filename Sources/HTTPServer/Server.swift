// HTTP server
