import ConfigFile
import Testing
@testable import AzureCloud

/// The `azure:` section: the documented example, defaults, workload identity from the
/// environment, and errors that name file, line and field.
@Suite struct AzureConfigReaderTests {
    private static func read(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> [AzureJobConfig] {
        let root = try ConfigNode.parse(yaml, file: "azure.yml")
        return try AzureConfigReader.read(try root.mapping().required("azure"), environment: environment)
    }

    private static func error(_ yaml: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try read(yaml, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    static let example = """
        azure:
          jobs:
            - name: azure-prod
              tenant_id: 11111111-2222-3333-4444-555555555555
              client_id: 66666666-7777-8888-9999-000000000000
              client_secret_file: /run/secrets/azure
              subscriptions: [00000000-0000-0000-0000-000000000000]
              resource_groups: [rg-web]
              resource_type: Microsoft.Compute/virtualMachines
              export_tags: [env]
              interval: 60s
              max_age: 10m
              timeout: 30s
              metrics:
                - namespace: Microsoft.Compute/virtualMachines
                  names: [Percentage CPU, Network In Total]
                  aggregations: [Average, Maximum]
                  interval: PT1M
                  length: 5m
        """

    @Test func readsTheDocumentedExample() throws {
        let jobs = try Self.read(Self.example)
        try #require(jobs.count == 1)
        let job = jobs[0]
        #expect(job.name == "azure-prod")
        #expect(job.credential == .clientSecretFile("/run/secrets/azure"))
        #expect(job.subscriptions == ["00000000-0000-0000-0000-000000000000"])
        #expect(job.resourceGroups == ["rg-web"])
        #expect(job.exportTags == ["env"])
        #expect(job.interval == 60 && job.maxAge == 600 && job.timeout == 30)
        #expect(job.endpoints == AzureJobConfig.Endpoints())
        #expect(job.endpoints.metrics == "https://{region}.metrics.monitor.azure.com")
        #expect(job.minRemainingReads == 100)
        #expect(job.metrics == [AzureMetricConfig(namespace: "Microsoft.Compute/virtualMachines",
                                                  names: ["Percentage CPU", "Network In Total"],
                                                  aggregations: [.average, .maximum], timeGrain: "PT1M",
                                                  timeGrainSeconds: 60, length: 300)])
    }

    @Test func workloadIdentityTakesItsSettingsFromTheEnvironment() throws {
        let yaml = """
            azure:
              jobs:
                - name: aks
                  workload_identity: true
                  subscriptions: 00000000-0000-0000-0000-000000000000
                  resource_type: Microsoft.Storage/storageAccounts
                  metrics: [{namespace: Microsoft.Storage/storageAccounts, names: [UsedCapacity], interval: PT1H}]
            """
        let environment = ["AZURE_TENANT_ID": "tenant-from-env", "AZURE_CLIENT_ID": "client-from-env",
                           "AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/azure/tokens/azure-identity-token",
                           "AZURE_AUTHORITY_HOST": "https://login.microsoftonline.us/"]
        let job = try #require(try Self.read(yaml, environment: environment).first)
        #expect(job.tenantId == "tenant-from-env" && job.clientId == "client-from-env")
        #expect(job.credential == .workloadIdentity(tokenFile: "/var/run/secrets/azure/tokens/azure-identity-token"))
        #expect(job.endpoints.login == "https://login.microsoftonline.us")
        #expect(job.metrics[0].aggregations == [.average])
        #expect(job.metrics[0].timeGrainSeconds == 3600 && job.metrics[0].length == 3600)

        let missing = Self.error(yaml, environment: ["AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"])
        #expect(missing?.message == "the environment variable AZURE_FEDERATED_TOKEN_FILE is not set")
        #expect(missing?.field == "azure.jobs[0].workload_identity")
        #expect(missing?.line == 4)
    }

    @Test func aCustomManagementEndpointReadsMetricsPerResourceUnlessToldOtherwise() throws {
        let base = Self.example.replacingOccurrences(of: "      timeout: 30s\n", with: "      timeout: 30s\n      endpoints: {management: http://127.0.0.1:8080/}\n")
        #expect(try Self.read(base).first?.endpoints.metrics == nil)
        #expect(try Self.read(base).first?.endpoints.management == "http://127.0.0.1:8080")
        let withBatch = base.replacingOccurrences(of: "8080/}", with: "8080/, metrics: 'http://127.0.0.1:8081/{region}'}")
        #expect(try Self.read(withBatch).first?.endpoints.metrics == "http://127.0.0.1:8081/{region}")
    }

    @Test(arguments: [
        ("client_secret_file: /run/secrets/azure", "client_secret_file: /a\n      client_secret_env: X", "azure.jobs[0].client_secret_file", 6,
         "set only one of client_secret_file, client_secret_env or workload_identity: true"),
        ("client_secret_file: /run/secrets/azure", "client_secret_env: AZURE_SECRET", "azure.jobs[0].client_secret_env", 6,
         "the environment variable AZURE_SECRET is not set"),
        ("[00000000-0000-0000-0000-000000000000]", "[my-subscription]", "azure.jobs[0].subscriptions", 7,
         "'my-subscription' is not a subscription id (a GUID like 00000000-0000-0000-0000-000000000000)"),
        ("resource_type: Microsoft.Compute/virtualMachines", "resource_type: virtualMachines", "azure.jobs[0].resource_type", 9,
         "must be a resource type like Microsoft.Compute/virtualMachines"),
        ("aggregations: [Average, Maximum]", "aggregations: [Average, Median]", "azure.jobs[0].metrics[0].aggregations", 17,
         "'Median' is not an aggregation (Average, Minimum, Maximum, Total, Count)"),
        ("interval: PT1M", "interval: 1m", "azure.jobs[0].metrics[0].interval", 18,
         "must be an ISO 8601 time grain Azure Monitor supports (PT1M, PT5M, PT15M, PT30M, PT1H, PT6H, PT12H, P1D)"),
        ("length: 5m", "length: 30s", "azure.jobs[0].metrics[0].length", 19,
         "must be at least the job's interval (60s), or datapoints fall between refreshes"),
        ("max_age: 10m", "max_age: 10s", "azure.jobs[0].max_age", 12, "must be at least the interval (60s)"),
        ("export_tags: [env]", "Export-Tags: [env]", "azure.jobs[0].Export-Tags", 10,
         "unknown field 'Export-Tags' (did you mean 'export_tags'?)"),
    ])
    func errorsNameTheFieldAndLine(original: String, replacement: String, field: String, line: Int, message: String) throws {
        let yaml = Self.example.replacingOccurrences(of: original, with: replacement)
        #expect(yaml != Self.example)
        let error = try #require(Self.error(yaml))
        #expect(error.file == "azure.yml")
        #expect(error.field == field)
        #expect(error.message == message)
        #expect(error.line == line, "\(error)")
    }

    @Test func aMissingCredentialAndDuplicateNamesAreErrors() throws {
        let noCredential = Self.example.replacingOccurrences(of: "      client_secret_file: /run/secrets/azure\n", with: "")
        #expect(Self.error(noCredential)?.message == "set one of client_secret_file, client_secret_env or workload_identity: true")
        let job = Self.example.components(separatedBy: "  jobs:\n")[1]
        let twice = Self.error(Self.example + "\n" + job)
        #expect(twice?.message == "job name 'azure-prod' is used twice")
        #expect(twice?.description.hasPrefix("azure.yml:") == true)
    }

    @Test func moreThanTwentyMetricNamesAreRefused() {
        let names = (1...21).map { "m\($0)" }.joined(separator: ", ")
        let yaml = Self.example.replacingOccurrences(of: "[Percentage CPU, Network In Total]", with: "[\(names)]")
        #expect(Self.error(yaml)?.message == "at most 20 names per entry (Azure Monitor's limit per call); split it in two")
    }
}
