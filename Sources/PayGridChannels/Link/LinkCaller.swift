import Foundation
import PayGridCore
import PayGridLink

/// How the external zone's services ask the internal zone: one whitelisted statement for a partner,
/// its answer read back as the internal zone's own value or refusal.
struct LinkCaller: Sendable {
    let client: LinkClient

    /// Sends one statement; a refusal comes back as the internal zone's own rejection. Parameters that
    /// do not have the link's forms are refused here with `malformed`, before anything crosses.
    func run(_ operation: LinkOperation, _ partner: Partner, _ parameters: [String: String],
             malformed: @autoclosure () -> any Error = BankError.fieldInvalid(
                "a field does not have the form the partner interface takes")) async throws -> [UInt8] {
        try await run(operation, code: partner.code, parameters, malformed: malformed())
    }

    /// The same, for the partner with code `code` (one the external zone knows only by its code).
    func run(_ operation: LinkOperation, code: String, _ parameters: [String: String],
             malformed: @autoclosure () -> any Error = BankError.fieldInvalid(
                "a field does not have the form the partner interface takes")) async throws -> [UInt8] {
        let call: LinkCall
        do {
            call = try LinkCall(operation, parameters.merging(["partner": code]) { $1 })
        } catch {
            throw malformed()
        }
        switch try await client.call(call) {
        case .value(let bytes): return bytes
        case .rejected(let code, let message, let category):
            throw LinkRejection(code: code, message: message, category: category)
        case .unavailable(let reason): throw LinkUnavailable(reason)
        }
    }

    /// Sends one statement and reads its answer as `T`.
    func value<T: Decodable>(_ type: T.Type, _ operation: LinkOperation, _ partner: Partner,
                             _ parameters: [String: String],
                             malformed: @autoclosure () -> any Error = BankError.fieldInvalid(
                                "a field does not have the form the partner interface takes")) async throws -> T {
        try await value(type, operation, code: partner.code, parameters, malformed: malformed())
    }

    /// The same, for the partner with code `code`.
    func value<T: Decodable>(_ type: T.Type, _ operation: LinkOperation, code: String,
                             _ parameters: [String: String],
                             malformed: @autoclosure () -> any Error = BankError.fieldInvalid(
                                "a field does not have the form the partner interface takes")) async throws -> T {
        let bytes = try await run(operation, code: code, parameters, malformed: malformed())
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw LinkUnavailable("the internal zone's answer is not a \(type)")
        }
    }
}
