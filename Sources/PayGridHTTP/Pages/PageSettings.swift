/// How the staff's web pages keep their sessions.
public struct PageSettings: Sendable {
    /// A page session ends after this long without a page being opened or sent (the idle timeout).
    public var idleMilliseconds: Int64
    /// Marks the session cookie `Secure`: set when PayGrid is reached over TLS (directly or through
    /// a proxy that terminates it), so the browser never sends the cookie in the clear.
    public var secureCookies: Bool

    public init(idleMinutes: Int = 15, secureCookies: Bool = false) {
        idleMilliseconds = Int64(idleMinutes) * 60_000
        self.secureCookies = secureCookies
    }
}
