print("nimbus_exporter")
