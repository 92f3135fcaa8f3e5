#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CMicroHTTPD
import CShims
import Synchronization

/// Limits that protect the server from slow or too many clients.
public struct HTTPServerLimits: Sendable {
    /// Seconds a connection may stay idle (libmicrohttpd's default is no limit at all).
    public var connectionTimeoutSeconds: UInt32
    /// Simultaneous connections per listen address.
    public var maximumConnections: UInt32

    public init(connectionTimeoutSeconds: UInt32 = 30, maximumConnections: UInt32 = 512) {
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maximumConnections = maximumConnections
    }
}

/// An HTTP/1.1 server on libmicrohttpd, one daemon per listen address.
public final class HTTPServer: @unchecked Sendable {
    private let handler: any HTTPHandler
    private let limits: HTTPServerLimits
    // Mutated only by start() and stop(), from the main thread.
    private var daemons: [(daemon: OpaquePointer, descriptor: Int32)] = []
    public private(set) var boundPorts: [UInt16] = []
    /// Requests whose handler has run but whose response has not finished sending.
    fileprivate let activeRequests = Atomic<Int>(0)

    public init(handler: any HTTPHandler, limits: HTTPServerLimits = HTTPServerLimits()) {
        self.handler = handler
        self.limits = limits
    }

    /// Listens on every address, or none: on the first failure, those already opened are closed.
    public func start(addresses: [ListenAddress]) throws(HTTPServerError) {
        do throws(HTTPServerError) {
            for address in addresses {
                let socket = try ListeningSocket.open(address)
                let context = Unmanaged.passUnretained(self).toOpaque()
                guard let daemon = nimbus_mhd_start(socket.descriptor, socket.isIPv6 ? 1 : 0, handleAccess, context,
                                                    requestCompleted, limits.connectionTimeoutSeconds, limits.maximumConnections)
                else {
                    close(socket.descriptor)
                    throw .daemonStart(address.description)
                }
                daemons.append((daemon, socket.descriptor))
                boundPorts.append(socket.boundPort)
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Stops accepting, lets in-flight requests finish sending (up to `drainSeconds`), then
    /// closes everything.
    public func stop(drainSeconds: Double = 30) {
        for entry in daemons {
            let listener = MHD_quiesce_daemon(entry.daemon)
            if listener >= 0 { close(listener) }
        }
        var waited = 0.0
        while activeRequests.load(ordering: .acquiring) > 0 && waited < drainSeconds {
            usleep(10_000)
            waited += 0.01
        }
        for entry in daemons {
            MHD_stop_daemon(entry.daemon)
        }
        daemons.removeAll()
        boundPorts.removeAll()
    }

    fileprivate func respond(connection: OpaquePointer?, method: String, url: String) -> MHD_Result {
        activeRequests.add(1, ordering: .relaxed)
        let path = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
        let request = HTTPRequest(method: method, path: path, connection: connection)
        let response = handler.handle(request)
        let mhdResponse = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
        response.recycle?(response.body)
        guard let mhdResponse else { return .NO }
        defer { MHD_destroy_response(mhdResponse) }
        for header in response.headers {
            _ = MHD_add_response_header(mhdResponse, header.name, header.value)
        }
        return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
    }
}

/// libmicrohttpd's access handler. A free function (not a closure in main.swift) so it is not
/// main-actor isolated: it runs on libmicrohttpd's connection threads.
private func handleAccess(
    context: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?,
    uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let context, let url, let method else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue()
    return server.respond(connection: connection, method: String(cString: method), url: String(cString: url))
}

/// Called by libmicrohttpd when a request is done (sent, or aborted), for the drain on stop.
private func requestCompleted(
    context: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let context else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue()
    server.activeRequests.subtract(1, ordering: .releasing)
}
