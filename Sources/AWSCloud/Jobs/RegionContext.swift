import CloudCache

/// What every fetcher of one job needs for one region.
struct RegionContext: Sendable {
    let region: String
    let endpoints: AWSEndpoints
    let client: AWSClient
    let credentials: any CredentialSource
    let stats: CloudStats
    /// Seconds per API call.
    var timeout: Double = 30

    func call(_ service: AWSEndpoints.Service, api: String, encoding: AWSCall.Encoding) throws(AWSCallError) -> [UInt8] {
        let call = AWSCall(service: service, region: region, endpoint: endpoints.url(for: service, region: region),
                           api: api, encoding: encoding, timeout: timeout)
        return try client.send(call, credentials: credentials, stats: stats)
    }

    /// A success status whose body did not decode: counted, then reported as the call's failure.
    func malformed(_ api: String, _ error: some Error) -> AWSCallError {
        stats.recordRequest(provider: "aws", api: api, outcome: "malformed_response", willRetry: false)
        return .malformed(api: api, reason: "\(error)")
    }
}
