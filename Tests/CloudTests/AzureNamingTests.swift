import Testing
@testable import AzureCloud

/// Metric names, label names, query encoding and ISO 8601 instants.
@Suite struct AzureNamingTests {
    @Test(arguments: [
        ("Microsoft.Compute/virtualMachines", "Percentage CPU", AzureMetricConfig.Aggregation.average,
         "azure_microsoft_compute_virtualmachines_percentage_cpu_average"),
        ("Microsoft.Compute/virtualMachines", "Network In Total", .maximum,
         "azure_microsoft_compute_virtualmachines_network_in_total_maximum"),
        ("Microsoft.Storage/storageAccounts", "UsedCapacity", .average, "azure_microsoft_storage_storageaccounts_used_capacity_average"),
        ("Microsoft.Sql/servers/databases", "cpu_percent", .minimum, "azure_microsoft_sql_servers_databases_cpu_percent_minimum"),
        ("Microsoft.Web/sites", "Http5xx", .total, "azure_microsoft_web_sites_http5xx_total_value"),
        ("Microsoft.Compute/virtualMachines", "Disk Read Bytes/sec", .count,
         "azure_microsoft_compute_virtualmachines_disk_read_bytes_sec_count_value"),
        ("Microsoft.Cache/redis", "Cache Hit %", .average, "azure_microsoft_cache_redis_cache_hit_percent_average"),
    ])
    func metricNames(namespace: String, metric: String, aggregation: AzureMetricConfig.Aggregation, expected: String) {
        #expect(AzureNaming.metricName(namespace: namespace, metric: metric, aggregation: aggregation) == expected)
    }

    @Test func labelNamesAreSnakeCased() {
        #expect(AzureNaming.labelName(prefix: "tag_", "Cost Center") == "tag_cost_center")
        #expect(AzureNaming.labelName(prefix: "tag_", "costCenter") == "tag_cost_center")
        #expect(AzureNaming.labelName(prefix: "tag_", "hidden-title") == "tag_hidden_title")
        #expect(AzureNaming.labelName(prefix: "tag_", "ü") == "tag_unnamed")
    }

    @Test func resourceGroupComesFromTheId() {
        let resource = AzureResource(id: "/subscriptions/s/resourcegroups/RG-Web/providers/Microsoft.Compute/virtualMachines/vm",
                                     name: "vm", type: "t", location: "l", tags: [:], subscriptionId: "s")
        #expect(resource.resourceGroup == "RG-Web")
        #expect(AzureResource(id: "/subscriptions/s", name: "", type: "", location: "", tags: [:], subscriptionId: "s").resourceGroup == "")
    }

    @Test func queryComponentsAreEncoded() {
        #expect(QueryEncoding.component("resourceType eq 'Microsoft.Compute/virtualMachines'")
            == "resourceType%20eq%20%27Microsoft.Compute%2FvirtualMachines%27")
        #expect(QueryEncoding.form([("client_secret", "a+b&c=d")]) == "client_secret=a%2Bb%26c%3Dd")
    }

    @Test(arguments: [(1_700_000_000.0, "2023-11-14T22:13:20Z"), (0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z")])
    func formatsAndParsesInstants(seconds: Double, text: String) {
        #expect(AzureTime.format(seconds) == text)
        #expect(AzureTime.parse(text) == seconds)
    }

    @Test func parsesFractionsAndOffsets() {
        #expect(AzureTime.parse("2023-11-14T22:13:20.5Z") == 1_700_000_000.5)
        #expect(AzureTime.parse("2023-11-14T23:13:20+01:00") == 1_700_000_000)
        for bad in ["", "2023-11-14", "2023-11-14T22:13:20", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20Zx", "yesterday at noon"] {
            #expect(AzureTime.parse(bad) == nil, "\(bad)")
        }
    }
}
