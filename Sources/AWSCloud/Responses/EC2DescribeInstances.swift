/// One EC2 tag; tags keep the order the response lists them in.
public struct EC2Tag: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The parts of an EC2 instance the exporter publishes (`aws_ec2_info` and tag labels).
public struct EC2Instance: Sendable, Equatable {
    public var instanceId: String
    public var instanceType: String
    public var availabilityZone: String
    /// `pending`, `running`, `stopping`, `stopped`, `shutting-down` or `terminated`.
    public var state: String
    /// As sent, ISO 8601 (`2026-11-22T05:40:02.000Z`).
    public var launchTime: String
    public var privateIpAddress: String?
    public var tags: [EC2Tag]
    /// The account that owns the instance's reservation (`ownerId`), for its ARN; "" if absent.
    public var ownerId: String

    public init(instanceId: String, instanceType: String, availabilityZone: String, state: String,
                launchTime: String, privateIpAddress: String? = nil, tags: [EC2Tag] = [], ownerId: String = "") {
        self.instanceId = instanceId
        self.instanceType = instanceType
        self.availabilityZone = availabilityZone
        self.state = state
        self.launchTime = launchTime
        self.privateIpAddress = privateIpAddress
        self.tags = tags
        self.ownerId = ownerId
    }
}

/// One page of an EC2 `DescribeInstances` (API version 2016-11-15) answer.
public struct DescribeInstancesPage: Sendable, Equatable {
    /// Instances of every reservation on the page, in document order.
    public var instances: [EC2Instance]
    /// Present when there are more pages.
    public var nextToken: String?

    public init(instances: [EC2Instance], nextToken: String?) {
        self.instances = instances
        self.nextToken = nextToken
    }

    public static func decode(_ body: [UInt8]) throws(AWSResponseDecodeError) -> DescribeInstancesPage {
        let root = try ResponseNode.root(of: body, api: "DescribeInstances", expecting: ["DescribeInstancesResponse"])
        var instances: [EC2Instance] = []
        // An empty result is `<reservationSet/>`; a missing set is as empty.
        for reservation in root.optional("reservationSet")?.items("item") ?? [] {
            let owner = reservation.optionalText("ownerId") ?? ""
            for item in reservation.optional("instancesSet")?.items("item") ?? [] {
                var decoded = try instance(item)
                decoded.ownerId = owner
                instances.append(decoded)
            }
        }
        return DescribeInstancesPage(instances: instances, nextToken: root.optionalText("nextToken"))
    }

    private static func instance(_ item: ResponseNode) throws(AWSResponseDecodeError) -> EC2Instance {
        var tags: [EC2Tag] = []
        for tag in item.optional("tagSet")?.items("item") ?? [] {
            // Tag values may be empty, and then AWS sends `<value/>` or nothing.
            tags.append(EC2Tag(key: try tag.text("key"), value: tag.optionalText("value") ?? ""))
        }
        return EC2Instance(
            instanceId: try item.text("instanceId"),
            instanceType: try item.text("instanceType"),
            availabilityZone: try item.required("placement").text("availabilityZone"),
            state: try item.required("instanceState").text("name"),
            launchTime: try item.text("launchTime"),
            privateIpAddress: item.optionalText("privateIpAddress"),
            tags: tags)
    }
}
