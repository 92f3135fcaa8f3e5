import Foundation

/// Google's JSON error body: `{"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED"}}`.
enum GoogleErrorBody {
    static func summary(_ body: [UInt8], status: Int) -> (code: String, message: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let error = object["error"] as? [String: Any] else {
            return ("HTTP\(status)", "")
        }
        let code = (error["status"] as? String).map { String($0.prefix(60)) } ?? "HTTP\(status)"
        let message = (error["message"] as? String) ?? ""
        // Messages can echo the request's filter; keep logs short.
        return (code, message.count > 300 ? String(message.prefix(300)) + "…" : message)
    }
}
