/// Discovers instances with `DescribeInstances`, following `NextToken` to the last page.
enum EC2Inventory {
    /// Pages beyond this are a runaway pagination loop, not a real fleet (1000 per page).
    static let maxPages = 500

    static func fetch(_ discovery: AWSJobConfig.EC2Discovery, in context: RegionContext) throws(AWSCallError) -> [EC2Instance] {
        var instances: [EC2Instance] = []
        var token: String?
        var pages = 0
        repeat {
            var parameters: [(String, String)] = [("MaxResults", "1000")]
            for (index, filter) in discovery.filters.enumerated() {
                parameters.append(("Filter.\(index + 1).Name", filter.name))
                for (valueIndex, value) in filter.values.enumerated() {
                    parameters.append(("Filter.\(index + 1).Value.\(valueIndex + 1)", value))
                }
            }
            if let token { parameters.append(("NextToken", token)) }
            let body = try context.call(.ec2, api: "DescribeInstances",
                                        encoding: .query(action: "DescribeInstances", version: "2016-11-15", parameters: parameters))
            let page: DescribeInstancesPage
            do { page = try DescribeInstancesPage.decode(body) } catch { throw context.malformed("DescribeInstances", error) }
            instances.append(contentsOf: page.instances)
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            pages += 1
        } while token != nil && pages < maxPages
        return instances
    }
}
