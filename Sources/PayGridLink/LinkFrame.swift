import Crypto

/// One frame on the isolation link between the zones (隔离装置). Nothing but frames crosses, and a
/// frame carries nothing but a fixed header, a bounded payload and its HMAC-SHA256:
///
/// ```
/// offset  size  field
///      0     4  magic "PGLK"
///      4     1  version (1)
///      5     1  kind: 1 hello, 2 welcome, 3 request, 4 answer
///      6    16  session id (zeros in a hello)
///     22     8  sequence number, big-endian, strictly increasing per session; an answer carries its request's
///     30     8  sender's clock, Unix milliseconds, big-endian
///     38     4  payload length, big-endian, at most `payloadMax`
///     42     n  payload
///   42+n    32  HMAC-SHA256 under the link key of bytes 0 ..< 42+n
/// ```
///
/// Decoding checks the length, then the MAC, and only then looks at anything the frame says.
public struct LinkFrame: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case hello = 1, welcome = 2, request = 3, answer = 4
    }

    public var kind: Kind
    public var session: [UInt8]
    public var sequence: UInt64
    public var timestampMilliseconds: Int64
    public var payload: [UInt8]

    public static let magic: [UInt8] = Array("PGLK".utf8)
    public static let version: UInt8 = 1
    public static let headerSize = 42
    public static let macSize = 32
    public static let sessionSize = 16
    /// The largest payload: a bank's answers are a few hundred bytes; a day's partner file is the
    /// largest thing that crosses.
    public static let payloadMax = 60 * 1024
    public static let sizeMax = headerSize + payloadMax + macSize
    public static let noSession = [UInt8](repeating: 0, count: sessionSize)

    public init(kind: Kind, session: [UInt8], sequence: UInt64, timestampMilliseconds: Int64, payload: [UInt8]) {
        self.kind = kind
        self.session = session
        self.sequence = sequence
        self.timestampMilliseconds = timestampMilliseconds
        self.payload = payload
    }

    /// The frame's bytes, signed with `key`. The payload must fit `payloadMax`.
    public func encoded(key: SymmetricKey) -> [UInt8] {
        precondition(payload.count <= Self.payloadMax && session.count == Self.sessionSize)
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count + Self.macSize)
        bytes.append(Self.version)
        bytes.append(kind.rawValue)
        bytes += session
        bytes.appendBigEndian(sequence)
        bytes.appendBigEndian(UInt64(bitPattern: timestampMilliseconds))
        bytes.appendBigEndian(UInt32(payload.count))
        bytes += payload
        bytes += Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
        return bytes
    }

    /// How many bytes the whole frame has, from its first `headerSize` bytes: what a stream reader
    /// waits for. Refuses a header announcing more than the limit before anything more is read.
    public static func announcedSize(header: some Collection<UInt8>) throws(LinkRefusal) -> Int {
        guard header.count >= headerSize else { throw .truncated }
        let length = Array(header.dropFirst(38).prefix(4)).reduce(0) { $0 << 8 | Int($1) }
        guard length <= payloadMax else { throw .oversized }
        return headerSize + length + macSize
    }

    /// Checks and decodes one whole frame. The MAC is checked (in constant time) before any field.
    public static func decode(_ bytes: [UInt8], key: SymmetricKey) throws(LinkRefusal) -> LinkFrame {
        guard bytes.count <= sizeMax else { throw .oversized }
        let size = try announcedSize(header: bytes)
        guard bytes.count >= size else { throw .truncated }
        guard bytes.count == size else { throw .oversized }
        let signed = bytes[..<(size - macSize)]
        guard HMAC<SHA256>.isValidAuthenticationCode(bytes[(size - macSize)...], authenticating: signed, using: key)
        else { throw .signatureInvalid }
        guard bytes.starts(with: magic), bytes[4] == version else { throw .malformed }
        guard let kind = Kind(rawValue: bytes[5]) else { throw .malformed }
        return LinkFrame(
            kind: kind, session: Array(bytes[6..<22]), sequence: bytes.bigEndian(at: 22),
            timestampMilliseconds: Int64(bitPattern: bytes.bigEndian(at: 30)),
            payload: Array(bytes[headerSize..<(size - macSize)]))
    }
}

extension LinkFrame {
    /// How far a frame's clock may be from the receiver's, either way, by default.
    public static let clockSkewMilliseconds: Int64 = 30_000

    /// Whether a frame's clock is within `skew` of the receiver's.
    static func isFresh(_ timestamp: Int64, now: Int64, skew: Int64) -> Bool {
        let (difference, overflow) = timestamp.subtractingReportingOverflow(now)
        return !overflow && difference.magnitude <= UInt64(skew)
    }
}

extension [UInt8] {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    func bigEndian(at offset: Int) -> UInt64 {
        self[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
