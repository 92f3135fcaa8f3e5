import Testing
@testable import AWSCloud

/// Decoders on responses captured from moto (`scripts/aws-response-fixtures.py`, files
/// `moto-*`) and on hand-written edge cases. Captured ids, keys and times change when the
/// fixtures are regenerated, so tests on them check shape and the values the script set.
@Suite struct AWSResponseTests {
    // MARK: EC2 DescribeInstances

    @Test func describeInstancesFromMoto() throws {
        let page = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-describe-instances.xml"))
        #expect(page.nextToken == nil)
        #expect(page.instances.count == 3)
        #expect(page.instances.map(\.instanceType) == ["t3.micro", "m5.large", "m5.large"])
        #expect(page.instances.map(\.availabilityZone) == ["us-east-1a", "us-east-1b", "us-east-1b"])
        #expect(page.instances.allSatisfy { $0.state == "running" && $0.instanceId.hasPrefix("i-") })
        #expect(page.instances.allSatisfy { $0.privateIpAddress?.hasPrefix("10.") == true })
        #expect(page.instances.allSatisfy { parseISO8601($0.launchTime) != nil })
        let tagged = try #require(page.instances.first)
        #expect(tagged.tags == [
            EC2Tag(key: "Name", value: "web-1"),
            EC2Tag(key: "team", value: "payments & billing"),
            EC2Tag(key: "quote", value: #"say "hi" <now> \ back\slash"#),
            EC2Tag(key: "multi", value: "line one\nline two"),
            EC2Tag(key: "unicode", value: "Zürich – 東京 😀"),
        ])
        #expect(page.instances[1].tags.isEmpty)
        #expect(page.instances.allSatisfy { $0.ownerId == "123456789012" })
    }

    @Test func describeInstancesEmptyAndStoppedFromMoto() throws {
        let empty = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-describe-instances-empty.xml"))
        #expect(empty == DescribeInstancesPage(instances: [], nextToken: nil))
        let stopped = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-describe-instances-stopped.xml"))
        #expect(stopped.instances.map(\.state).sorted() == ["running", "stopped"])
    }

    @Test func describeInstancesPagesFromMoto() throws {
        let first = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-describe-instances-page1.xml"))
        let second = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-describe-instances-page2.xml"))
        let token = try #require(first.nextToken)
        #expect(token.hasPrefix("r-"))
        #expect(first.instances.map(\.instanceType) == ["t3.micro"])
        #expect(second.nextToken == nil)
        #expect(second.instances.map(\.instanceType) == ["m5.large", "m5.large"])
        #expect(Set(first.instances.map(\.instanceId)).isDisjoint(with: second.instances.map(\.instanceId)))
    }

    @Test func describeInstancesEdgeCases() throws {
        let page = try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("describe-instances-edge.xml"))
        #expect(page.nextToken == "eyJ2IjoiMiIsImMiOiJwYWdlLTIifQ==")
        #expect(page.instances == [
            EC2Instance(
                instanceId: "i-0aaaaaaaaaaaaaaa1", instanceType: "c6g.xlarge", availabilityZone: "eu-central-1a",
                state: "running", launchTime: "2026-11-20T08:15:30.000Z", privateIpAddress: "10.0.1.17",
                tags: [
                    EC2Tag(key: "Name", value: "api & worker"),
                    EC2Tag(key: "quoted", value: #"say "hello" 'there' <b>"#),
                    EC2Tag(key: "path", value: #"C:\temp\new\x"#),
                    EC2Tag(key: "multiline", value: "first\nsecond\nthird"),
                    EC2Tag(key: "unicode", value: "Zürich 東京 😀 é"),
                    EC2Tag(key: "cdata", value: #"<raw> & "unescaped""#),
                    EC2Tag(key: "empty", value: ""),
                    EC2Tag(key: "spaces", value: "  padded  "),
                ],
                ownerId: "123456789012"),
            EC2Instance(instanceId: "i-0aaaaaaaaaaaaaaa2", instanceType: "t3.nano", availabilityZone: "eu-central-1b",
                        state: "stopped", launchTime: "2026-11-19T23:59:59Z", privateIpAddress: nil, tags: [],
                        ownerId: "123456789012"),
            EC2Instance(instanceId: "i-0aaaaaaaaaaaaaaa3", instanceType: "m7i.large", availabilityZone: "eu-central-1c",
                        state: "terminated", launchTime: "2026-11-01T00:00:00.000Z", privateIpAddress: nil, tags: []),
        ])
    }

    @Test func describeInstancesNamesTheMissingElement() throws {
        let missingType = try AWSResponseFixtures.bytes("describe-instances-missing-instance-type.xml")
        let path = "DescribeInstancesResponse/reservationSet/item[1]/instancesSet/item[2]/instanceType"
        #expect(throws: AWSResponseDecodeError(api: "DescribeInstances", .missingElement(path: path))) {
            try DescribeInstancesPage.decode(missingType)
        }
        let missingZone = try AWSResponseFixtures.bytes("describe-instances-missing-availability-zone.xml")
        let zonePath = "DescribeInstancesResponse/reservationSet/item[1]/instancesSet/item[1]/placement/availabilityZone"
        let error = AWSResponseDecodeError(api: "DescribeInstances", .missingElement(path: zonePath))
        #expect(throws: error) { try DescribeInstancesPage.decode(missingZone) }
        #expect(error.description == "DescribeInstances response: missing element \(zonePath)")
    }

    @Test func describeInstancesGivenAnErrorDocumentReportsTheServiceError() throws {
        let body = try AWSResponseFixtures.bytes("moto-ec2-error.xml")
        do {
            _ = try DescribeInstancesPage.decode(body)
            Issue.record("an error document decoded as a result")
        } catch {
            guard case .serviceError(let serviceError) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(serviceError.code == "InvalidInstanceID.NotFound")
            #expect(error.description.contains("InvalidInstanceID.NotFound"))
        }
    }

    @Test func describeInstancesRejectsOtherDocumentsAndMalformedXML() throws {
        #expect(throws: AWSResponseDecodeError(api: "DescribeInstances",
                                               .unexpectedRoot(expected: ["DescribeInstancesResponse"], found: "GetMetricDataResponse"))) {
            try DescribeInstancesPage.decode(try AWSResponseFixtures.bytes("moto-get-metric-data.xml"))
        }
        let malformed = try AWSResponseFixtures.bytes("malformed/mismatched-tag.xml")
        do {
            _ = try DescribeInstancesPage.decode(malformed)
            Issue.record("malformed XML decoded")
        } catch {
            guard case .malformedXML(let xmlError) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(xmlError.kind == .mismatchedClosingTag(expected: "item", found: "reservationSet"))
            #expect(error.description.hasPrefix("DescribeInstances response: malformed XML at byte "))
        }
    }

    // MARK: CloudWatch GetMetricData

    @Test func getMetricDataFromMoto() throws {
        let page = try GetMetricDataPage.decode(try AWSResponseFixtures.bytes("moto-get-metric-data.xml"))
        #expect(page.nextToken == nil)
        #expect(page.messages.isEmpty)
        #expect(page.results.map(\.id) == ["cpu", "none"])
        let cpu = page.results[0]
        #expect(cpu.label == "CPU average")
        #expect(cpu.statusCode == .complete)
        #expect(cpu.values == [99.0, 0.25, 12.5])
        #expect(cpu.timestamps.count == 3)
        #expect(cpu.timestampSeconds == cpu.timestamps.compactMap(parseISO8601))
        // moto answers newest first, one minute apart, as the script put the data.
        #expect(cpu.timestampSeconds[0] - cpu.timestampSeconds[1] == 60)
        #expect(cpu.timestampSeconds[1] - cpu.timestampSeconds[2] == 60)
        let none = page.results[1]
        #expect(none.values.isEmpty && none.timestamps.isEmpty && none.statusCode == .complete)
    }

    @Test func getMetricDataPartialPage() throws {
        let page = try GetMetricDataPage.decode(try AWSResponseFixtures.bytes("get-metric-data-partial.xml"))
        #expect(page.nextToken == "AAEAAQAAAAAAAAAAAAAA-page-2")
        #expect(page.messages == [MetricDataMessage(code: "MaxMetricsExceeded", value: "Maximum number of allowed metrics exceeded")])
        #expect(page.results.map(\.statusCode) == [.partialData, .forbidden, .internalError, .complete])
        let partial = page.results[0]
        #expect(partial.label == "i-0aaaaaaaaaaaaaaa1 CPUUtilization")
        #expect(partial.timestamps == ["2026-11-22T10:02:00Z", "2026-11-22T10:01:00.000Z", "2026-11-22T10:00:00.500Z"])
        #expect(partial.timestampSeconds == [1_795_341_720, 1_795_341_660, 1_795_341_600.5])
        #expect(partial.values == [42.5, 0.00015, -0.0])
        #expect(partial.messages.map(\.code) == ["ArithmeticError"])
        #expect(page.results[2].values.isEmpty)
        #expect(page.results[3] == MetricDataResult(id: "m3", label: "", statusCode: .complete,
                                                    timestamps: ["2026-11-22T10:02:00Z"],
                                                    timestampSeconds: [1_795_341_720], values: [7]))
    }

    @Test func statusCodesRoundTripAndUnknownOnesAreKept() {
        for text in ["Complete", "PartialData", "InternalError", "Forbidden", "SomethingNew"] {
            #expect(MetricDataStatusCode(text).text == text)
        }
        #expect(MetricDataStatusCode("SomethingNew") == .other("SomethingNew"))
    }

    @Test(arguments: [
        ("get-metric-data-length-mismatch.xml",
         "GetMetricData response: GetMetricDataResponse/GetMetricDataResult/MetricDataResults/member[1] has 2 timestamps but 1 values"),
        ("get-metric-data-bad-value.xml",
         "GetMetricData response: GetMetricDataResponse/GetMetricDataResult/MetricDataResults/member[1]/Values/member[2] is \"twelve\", expected a number"),
        ("get-metric-data-bad-timestamp.xml",
         "GetMetricData response: GetMetricDataResponse/GetMetricDataResult/MetricDataResults/member[1]/Timestamps/member[1] is \"2026-02-30T10:02:00Z\", expected an ISO 8601 timestamp"),
        ("get-metric-data-missing-id.xml",
         "GetMetricData response: missing element GetMetricDataResponse/GetMetricDataResult/MetricDataResults/member[2]/Id"),
        ("moto-describe-instances-empty.xml",
         "GetMetricData response: root element is <DescribeInstancesResponse>, expected <GetMetricDataResponse>"),
        ("moto-cloudwatch-error.xml",
         "GetMetricData response: AWS returned error ValidationError: The parameter MetricDataQueries.member.1.MetricStat is required.\n"),
        ("malformed/truncated.xml",
         "GetMetricData response: malformed XML at byte 127: the document ends early, expected \">\" to end the closing tag </mem>"),
    ])
    func getMetricDataFailuresSayWhatIsWrong(file: String, description: String) throws {
        let body = try AWSResponseFixtures.bytes(file)
        #expect(throws: AWSResponseDecodeError.self) { try GetMetricDataPage.decode(body) }
        do {
            _ = try GetMetricDataPage.decode(body)
        } catch {
            #expect(error.description == description)
        }
    }

    // MARK: STS

    @Test func assumeRoleFromMoto() throws {
        let body = try AWSResponseFixtures.bytes("moto-assume-role.xml")
        let credentials = try STSCredentials.decodeAssumeRole(body)
        #expect(credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(credentials.secretAccessKey.count == 40)
        #expect(!credentials.sessionToken.isEmpty)
        let root = try XMLReader.parse(body)
        let expiration = try #require(root.path("AssumeRoleResult", "Credentials", "Expiration")?.text)
        #expect(credentials.expiration == parseISO8601(expiration))
        #expect(try decodeSTSCredentials(body) == credentials)
    }

    @Test func assumeRoleWithWebIdentityFromMoto() throws {
        let body = try AWSResponseFixtures.bytes("moto-assume-role-with-web-identity.xml")
        let credentials = try STSCredentials.decodeAssumeRoleWithWebIdentity(body)
        #expect(credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(credentials.expiration > 1_700_000_000)
        #expect(try decodeSTSCredentials(body) == credentials)
        #expect(throws: AWSResponseDecodeError(api: "AssumeRole", .unexpectedRoot(expected: ["AssumeRoleResponse"],
                                                                                  found: "AssumeRoleWithWebIdentityResponse"))) {
            try STSCredentials.decodeAssumeRole(body)
        }
    }

    @Test func credentialsNeverPrintTheirSecrets() throws {
        let credentials = try STSCredentials.decodeAssumeRole(try AWSResponseFixtures.bytes("moto-assume-role.xml"))
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials)] {
            #expect(text.contains(credentials.accessKeyId))
            #expect(!text.contains(credentials.secretAccessKey))
            #expect(!text.contains(credentials.sessionToken))
        }
    }

    @Test(arguments: [
        ("assume-role-missing-secret.xml",
         "STS response: missing element AssumeRoleResponse/AssumeRoleResult/Credentials/SecretAccessKey"),
        ("assume-role-bad-expiration.xml",
         "STS response: AssumeRoleResponse/AssumeRoleResult/Credentials/Expiration is \"tomorrow\", expected an ISO 8601 timestamp"),
        ("assume-role-bad-entity-in-secret.xml",
         "STS response: malformed XML at byte 172: undefined entity &…;"),
        ("moto-sts-error.xml", nil),
    ])
    func stsFailuresNameTheElementButNoSecret(file: String, description: String?) throws {
        let body = try AWSResponseFixtures.bytes(file)
        #expect(throws: AWSResponseDecodeError.self) { try decodeSTSCredentials(body) }
        do {
            _ = try decodeSTSCredentials(body)
        } catch {
            if let description { #expect(error.description == description) }
            #expect(!error.description.contains("must-not-leak"))
            #expect(!error.description.contains("SECRET"))
            if case .serviceError(let body) = error.kind { #expect(body.code == "ValidationError") }
        }
    }

    @Test func emptySecretIsRejectedWithoutQuotingAnything() {
        let body = Array("""
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId>\
            <SecretAccessKey>   </SecretAccessKey><SessionToken>token-must-not-leak</SessionToken>\
            <Expiration>2026-11-22T11:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
            """.utf8)
        let path = "AssumeRoleResponse/AssumeRoleResult/Credentials/SecretAccessKey"
        #expect(throws: AWSResponseDecodeError(api: "AssumeRole", .invalidValue(path: path, value: nil, expected: "a non-empty value"))) {
            try STSCredentials.decodeAssumeRole(body)
        }
    }

    // MARK: Error bodies

    @Test(arguments: [
        ("moto-ec2-error.xml", "text/xml", "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist", false),
        ("moto-cloudwatch-error.xml", "text/xml", "ValidationError",
         "The parameter MetricDataQueries.member.1.MetricStat is required.\n", false),
        ("moto-cloudwatch-error.json", "text", "ValidationError",
         "The parameter MetricDataQueries.member.1.MetricStat is required.\n", false),
        ("error-query-throttling.xml", "text/xml", "Throttling", "Rate exceeded", true),
        ("error-ec2-request-limit.xml", "text/xml;charset=UTF-8", "RequestLimitExceeded", "Request limit exceeded.", true),
        ("error-json-throttling.json", "application/x-amz-json-1.1", "ThrottlingException", "Rate exceeded", true),
        ("error-json-too-many-requests.json", nil, "TooManyRequestsException", "Too many requests, slow down & retry", true),
        ("error-response-nested-errors.xml", "text/html; charset=utf-8", "AuthFailure",
         "AWS was not able to validate the provided access credentials", false),
    ] as [(String, String?, String, String, Bool)])
    func errorBodiesInEveryProtocol(file: String, contentType: String?, code: String, message: String, throttling: Bool) throws {
        let error = try #require(decodeAWSError(body: try AWSResponseFixtures.bytes(file), contentType: contentType))
        #expect(error.code == code)
        #expect(error.message == message)
        #expect(error.isThrottling == throttling)
    }

    @Test func errorRequestIdsAreKept() throws {
        let query = try #require(decodeAWSError(body: try AWSResponseFixtures.bytes("error-query-throttling.xml"), contentType: nil))
        #expect(query.requestId == "4c8bd2d1-0000-4000-8000-example")
        let ec2 = try #require(decodeAWSError(body: try AWSResponseFixtures.bytes("error-ec2-request-limit.xml"), contentType: nil))
        #expect(ec2.requestId == "5ff6c4e4-0000-4000-8000-example")
    }

    @Test func errorTypeHeaderSuppliesOrOverridesTheCode() throws {
        let body = try AWSResponseFixtures.bytes("error-json-header-only.json")
        #expect(decodeAWSError(body: body, contentType: "application/x-amz-json-1.0") == nil)
        let header = "ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.monitoring/"
        let error = try #require(decodeAWSError(body: body, contentType: "application/x-amz-json-1.0", errorTypeHeader: header))
        #expect(error == AWSErrorBody(code: "ThrottlingException", message: "Rate exceeded"))
        #expect(error.isThrottling)
        let headerOnly = try #require(decodeAWSError(body: [], contentType: nil, errorTypeHeader: "SlowDown"))
        #expect(headerOnly == AWSErrorBody(code: "SlowDown", message: ""))
        #expect(headerOnly.isThrottling)
    }

    @Test(arguments: [
        "",
        "<html><body>502 Bad Gateway</body></html>",
        "<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>",
        "<ErrorResponse><Error><Code>Throttling",
        "{\"message\": 42}",
        "{not json",
        "[1, 2]",
        "Service Unavailable",
    ])
    func unreadableErrorBodiesGiveNil(body: String) {
        #expect(decodeAWSError(body: Array(body.utf8), contentType: nil) == nil)
    }

    @Test func jsonCodeFormsAreReducedToTheBareCode() throws {
        let cases = [
            (#"{"__type":"com.amazon.coral.service#ExpiredTokenException","Message":"expired"}"#, "ExpiredTokenException"),
            (#"{"__type":"ThrottlingException:http://internal.amazon.com/coral/","message":"x"}"#, "ThrottlingException"),
            (#"{"code":"Throttling","message":"x"}"#, "Throttling"),
            (#"{"Code":"RequestLimitExceeded"}"#, "RequestLimitExceeded"),
        ]
        for (json, code) in cases {
            #expect(decodeAWSError(body: Array(json.utf8), contentType: "application/json")?.code == code)
        }
    }

    @Test func throttlingCodesAreRecognised() {
        for code in ["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                     "ProvisionedThroughputExceededException", "SlowDown"] {
            #expect(AWSErrorBody(code: code, message: "").isThrottling, "\(code)")
        }
        for code in ["ValidationError", "AccessDenied", "InvalidInstanceID.NotFound", "throttling", ""] {
            #expect(!AWSErrorBody(code: code, message: "").isThrottling, "\(code)")
        }
    }

    // MARK: ISO 8601

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2026-11-22T10:01:00Z", 1_795_341_660.0),
        ("2026-11-22T10:01:00.000Z", 1_795_341_660.0),
        ("2026-11-22T10:01:00.25Z", 1_795_341_660.25),
        ("2026-11-22T10:01:00.020693Z", 1_795_341_660.020693),
        ("2026-11-22T12:01:00+02:00", 1_795_341_660.0),
        ("2026-11-22T04:31:00-05:30", 1_795_341_660.0),
        ("2026-11-22T04:31:00-0530", 1_795_341_660.0),
        ("2026-11-22t10:01:00z", 1_795_341_660.0),
        ("2024-02-29T23:59:59Z", 1_709_251_199.0),
        ("2000-03-01T00:00:00Z", 951_868_800.0),
        ("1900-01-01T00:00:00Z", -2_208_988_800.0),
    ])
    func parsesISO8601(text: String, seconds: Double) throws {
        let parsed = try #require(parseISO8601(text))
        #expect(abs(parsed - seconds) < 1e-6)
    }

    @Test(arguments: [
        "", "2026-11-22", "2026-11-22T10:01:00", "2026-11-22T10:01Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z", "2026-11-22T10:01:61Z", "2026-11-22T10:01:00.Z", "2026-11-22T10:01:00Zjunk",
        "2026-11-22T10:01:00+25:00", "26-11-22T10:01:00Z", "２０２６-11-22T10:01:00Z", "tomorrow",
    ])
    func rejectsInvalidISO8601(text: String) {
        #expect(parseISO8601(text) == nil)
    }
}
