import Foundation

/// Counts CloudTrail events with `LookupEvents`: one lookup per configured event name and
/// region, from a watermark to now, newest first, all pages. CloudTrail can deliver an event
/// minutes after it happened, so each lookup reaches back `overlap` seconds before the
/// watermark and event ids already counted are skipped: late events are counted once and
/// nothing is counted twice. Calls are paced below the API's 2 requests per second.
struct CloudTrailPoller: Sendable {
    static let overlap: Double = 15 * 60
    static let minimumSpacing: Double = 0.6
    static let maxPagesPerLookup = 200

    struct CountKey: Codable, Hashable, Sendable {
        var region: String
        var eventName: String
        var eventSource: String
    }

    /// Everything that must survive a restart to neither miss nor recount events.
    struct State: Codable, Sendable, Equatable {
        /// `region|eventName` → newest event time seen.
        var watermarks: [String: Double] = [:]
        /// Event ids counted within the overlap window, with their event time.
        var seen: [String: Double] = [:]
        var counts: [CountEntry] = []
        /// `region|eventName` → newest event time seen (exported).
        var newest: [String: Double] { watermarks }

        struct CountEntry: Codable, Sendable, Equatable {
            var region: String
            var eventName: String
            var eventSource: String
            var count: Double
        }
    }

    let settings: AWSJobConfig.CloudTrailSettings
    var lastCall: Double = 0

    init(settings: AWSJobConfig.CloudTrailSettings) {
        self.settings = settings
    }

    /// Polls one region and adds what is new to `state`.
    mutating func poll(region context: RegionContext, now: Double, state: inout State) throws(AWSCallError) {
        var counts: [CountKey: Double] = [:]
        for entry in state.counts {
            counts[CountKey(region: entry.region, eventName: entry.eventName, eventSource: entry.eventSource)] = entry.count
        }
        defer {
            state.counts = counts.map { State.CountEntry(region: $0.key.region, eventName: $0.key.eventName,
                                                         eventSource: $0.key.eventSource, count: $0.value) }
                .sorted { ($0.region, $0.eventName, $0.eventSource) < ($1.region, $1.eventName, $1.eventSource) }
        }
        for eventName in settings.eventNames {
            let key = "\(context.region)|\(eventName)"
            let start = state.watermarks[key].map { $0 - Self.overlap } ?? now - settings.lookback
            var token: String?
            var pages = 0
            repeat {
                pace()
                let request = LookupEventsRequest(
                    StartTime: start, EndTime: now,
                    LookupAttributes: [.init(AttributeKey: "EventName", AttributeValue: eventName)],
                    MaxResults: 50, NextToken: token)
                let body: [UInt8]
                do { body = Array(try JSONEncoder().encode(request)) } catch { throw .malformed(api: "LookupEvents", reason: "cannot encode the request") }
                let response = try context.call(.cloudTrail, api: "LookupEvents", encoding: .json(
                    target: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                    contentType: "application/x-amz-json-1.1", body: body))
                let page: LookupEventsResponse
                do { page = try JSONDecoder().decode(LookupEventsResponse.self, from: Data(response)) } catch {
                    throw context.malformed("LookupEvents", error)
                }
                for event in page.Events ?? [] {
                    guard let id = event.EventId, let time = event.EventTime else { continue }
                    if state.seen[id] != nil { continue }
                    state.seen[id] = time
                    let name = event.EventName ?? eventName
                    counts[CountKey(region: context.region, eventName: name, eventSource: event.EventSource ?? ""), default: 0] += 1
                    if time > state.watermarks[key] ?? -.infinity { state.watermarks[key] = time }
                }
                token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
                pages += 1
            } while token != nil && pages < Self.maxPagesPerLookup
        }
        // Ids older than every lookup's reach can never be returned again.
        let oldestReach = (state.watermarks.values.min() ?? now) - Self.overlap - 60
        state.seen = state.seen.filter { $0.value >= oldestReach }
    }

    private mutating func pace() {
        let now = Date().timeIntervalSince1970
        let wait = lastCall + Self.minimumSpacing - now
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        lastCall = Date().timeIntervalSince1970
    }
}

/// The LookupEvents request body (awsJson1.1; timestamps as epoch seconds).
struct LookupEventsRequest: Encodable {
    struct Attribute: Encodable {
        var AttributeKey: String
        var AttributeValue: String
    }
    var StartTime: Double
    var EndTime: Double
    var LookupAttributes: [Attribute]
    var MaxResults: Int
    var NextToken: String?
}

/// The parts of a LookupEvents response the counts need.
struct LookupEventsResponse: Decodable {
    struct Event: Decodable {
        var EventId: String?
        var EventName: String?
        var EventSource: String?
        var EventTime: Double?
    }
    var Events: [Event]?
    var NextToken: String?
}
