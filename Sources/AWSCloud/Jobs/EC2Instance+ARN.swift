extension EC2Instance {
    /// The instance's ARN, YACE's `name` label.
    func arn(region: String) -> String {
        "arn:aws:ec2:\(region):\(ownerId):instance/\(instanceId)"
    }
}
