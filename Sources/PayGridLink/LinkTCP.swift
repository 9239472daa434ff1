import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Cuts a byte stream into link frames: waits for a header, then for the length it announces.
/// A header announcing more than the size limit is passed on alone, so the session refuses it
/// (`oversized`, counted) and the connection closes before the rest is read.
struct LinkFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let header = buffer.getBytes(at: buffer.readerIndex, length: LinkFrame.headerSize) else {
            return .needMoreData
        }
        let size: Int
        do { size = try LinkFrame.announcedSize(header: header) } catch {
            context.fireChannelRead(wrapInboundOut(buffer.readBytes(length: LinkFrame.headerSize)!))
            return .continue
        }
        guard let frame = buffer.readBytes(length: size) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    /// The connection ended inside a frame: what came is passed on, to be refused as `truncated`.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        if try decode(context: context, buffer: &buffer) == .continue { return .continue }
        if let rest = buffer.readBytes(length: buffer.readableBytes), !rest.isEmpty {
            context.fireChannelRead(wrapInboundOut(rest))
        }
        return .needMoreData
    }
}

/// TLS for the link, from certificate files: each side presents its certificate and, when a CA is
/// given, accepts only a peer whose certificate that CA signed (mutual TLS).
public struct LinkTLS: Sendable {
    public var certificatePath: String
    public var privateKeyPath: String
    public var caPath: String?

    public init(certificatePath: String, privateKeyPath: String, caPath: String?) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.caPath = caPath
    }

    func context(server: Bool) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: privateKeyPath, format: .pem))
        var configuration = server
            ? TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
            : TLSConfiguration.makeClientConfiguration()
        if !server {
            configuration.certificateChain = chain
            configuration.privateKey = key
        }
        if let caPath {
            configuration.trustRoots = .file(caPath)
            // The peer is known by its CA, not by a host name: the link is one fixed pair of machines.
            configuration.certificateVerification = .noHostnameVerification
        }
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

/// The internal zone listening for the external zone's connections, one session each.
public final class LinkListener: Sendable {
    let channel: NIOAsyncChannel<NIOAsyncChannel<[UInt8], ByteBuffer>, Never>
    let server: LinkServer

    /// Connections served at once; more are closed as they arrive.
    public static let connectionsMax = 256
    /// How long a connection may stay silent.
    static let idleTimeout = TimeAmount.seconds(120)
    private let open = Atomic<Int>(0)

    /// The port it listens on (useful when bound to port 0).
    public var port: Int { channel.channel.localAddress?.port ?? 0 }

    public static func bind(host: String, port: Int, tls: LinkTLS?, server: LinkServer) async throws -> LinkListener {
        let context = try tls?.context(server: true)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    if let context {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    // A connection that sends nothing for this long is closed: the external zone
                    // reconnects when it needs to, and a silent peer holds nothing for ever.
                    try child.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: Self.idleTimeout))
                    try child.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(LinkFrameDecoder()))
                    return try NIOAsyncChannel<[UInt8], ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
        return LinkListener(channel: channel, server: server)
    }

    private init(channel: NIOAsyncChannel<NIOAsyncChannel<[UInt8], ByteBuffer>, Never>, server: LinkServer) {
        self.channel = channel
        self.server = server
    }

    /// Serves connections until cancelled.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await channel.executeThenClose { connections in
                for try await connection in connections {
                    guard open.add(1, ordering: .relaxed).newValue <= Self.connectionsMax else {
                        open.subtract(1, ordering: .relaxed)
                        server.logger.warning("link connection refused: too many open")
                        try? await connection.channel.close()
                        continue
                    }
                    group.addTask {
                        await self.serve(connection)
                        self.open.subtract(1, ordering: .relaxed)
                    }
                }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<[UInt8], ByteBuffer>) async {
        let peer = connection.channel.remoteAddress?.description ?? "unknown"
        let session = server.session(peer: peer)
        do {
            try await connection.executeThenClose { frames, replies in
                for try await frame in frames {
                    guard case .frame(let reply) = await session.receive(frame) else { return }
                    try await replies.write(ByteBuffer(bytes: reply))
                }
            }
        } catch {
            server.logger.info("link connection ended", metadata: ["link.peer": "\(peer)", "error": "\(error)"])
        }
    }
}

/// One TCP (optionally TLS) connection from the external zone to the internal zone's listener.
public struct TCPLinkConnection: LinkConnection {
    let channel: any Channel
    let answers: NIOLoopBound<AnswerHandler>
    /// How long an answer may take before the connection is given up.
    let answerTimeout: TimeAmount

    public static func connect(host: String, port: Int, tls: LinkTLS?, answerTimeout: TimeAmount = .seconds(10))
        async throws -> TCPLinkConnection
    {
        let context = try tls?.context(server: false)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LinkFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler())
                }
            }
            .connect(host: host, port: port).get()
        let answers = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: AnswerHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return TCPLinkConnection(channel: channel, answers: answers, answerTimeout: answerTimeout)
    }

    public func exchange(_ frame: [UInt8]) async throws -> [UInt8] {
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        let channel = self.channel, answers = self.answers, answerTimeout = self.answerTimeout
        channel.eventLoop.execute {
            answers.value.expect(promise)
            channel.writeAndFlush(ByteBuffer(bytes: frame)).cascadeFailure(to: promise)
            let timeout = channel.eventLoop.scheduleTask(in: answerTimeout) {
                promise.fail(LinkUnavailable("no answer within \(answerTimeout)"))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in timeout.cancel() }
        }
        return try await promise.futureResult.get()
    }

    public func close() async {
        try? await channel.close()
    }
}

/// Hands the answer frame to the exchange waiting for it; fails it when the connection goes.
final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    private var waiting: EventLoopPromise<[UInt8]>?

    func expect(_ promise: EventLoopPromise<[UInt8]>) { waiting = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let promise = waiting else {
            context.close(promise: nil)  // an answer nobody asked for
            return
        }
        waiting = nil
        promise.succeed(frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(LinkUnavailable("the connection closed"))
        waiting = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }
}

/// Closes a connection when the idle-state handler says it has been silent too long.
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
