/// The exporter's version, shown on the landing page and in `nimbus_exporter_build_info`.
enum BuildInfo {
    static let version = "0.1.0"

    static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
