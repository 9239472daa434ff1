import Foundation
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore

/// The internal zone's side of the link: each checked statement runs the same use case as a bank
/// call in one process, for the partner the statement names (looked up here again: a partner
/// suspended in the internal zone is refused even if the external zone has not heard yet).
public struct InternalLinkHandler: LinkHandler {
    let bank: BankInterface
    let logger: Logger

    public init(bank: BankInterface, logger: Logger) {
        self.bank = bank
        self.logger = logger
    }

    public func handle(_ call: LinkCall) async -> LinkAnswer {
        do {
            guard let partner = try await bank.backend.store.readCommitted({ try $0.partner(call["partner"]) }) else {
                throw BankError.partnerUnknown
            }
            // The external zone copies a suspended partner's registration too, to refuse it there.
            guard partner.status == .active || call.operation == .partnerRegistration else {
                throw BankError.partnerSuspended
            }
            return .value(try await run(call, for: partner))
        } catch let rejection as any BusinessRejection {
            return .rejected(code: rejection.code, message: rejection.message, category: rejection.category)
        } catch StoreError.conflict {
            return .unavailable("the ledger is busy")
        } catch let error as StoreError {
            // As the HTTP error mapping answers them in one process.
            logger.notice("store constraint", metadata: ["error": "\(error)"])
            if case .missing = error {
                return .rejected(code: "reference_not_found", message: "a record this request refers to does not exist",
                                 category: .invalid)
            }
            return .rejected(code: "already_exists", message: "a record with that key already exists",
                             category: .conflict)
        } catch {
            logger.error("link statement failed", metadata: ["link.operation": "\(call.operation.rawValue)",
                                                             "error": "\(error)"])
            return .unavailable("the internal zone could not run the statement")
        }
    }

    private func run(_ call: LinkCall, for partner: Partner) async throws -> [UInt8] {
        let encoder = JSONEncoder()
        switch call.operation {
        case .bankQuery:
            return Array(try encoder.encode(try await bank.query(call["account_no"], by: partner)))
        case .bankPay:
            let answer = try await bank.pay(serial: call["serial"], bankDate: Day(call["bank_date"])!,
                                            account: call["account_no"], amount: call["amount"], by: partner)
            return Array(try encoder.encode(LinkedPayment(answer)))
        case .bankReverse:
            let answer = try await bank.reverse(serial: call["serial"], originalSerial: call["original_serial"],
                                                bankDate: Day(call["bank_date"])!, by: partner)
            return Array(try encoder.encode(LinkedPayment(answer)))
        case .bankStatus:
            return Array(try encoder.encode(try await bank.status(of: call["serial"], by: partner)))
        case .partnerDailyFile:
            let text = try await bank.dailyFileText(Day(call["date"])!, by: partner)
            return Array(try encoder.encode(DailyFilePage.page(Int(call["page"])!, of: text)))
        case .partnerRegistration:
            return Array(try encoder.encode(PartnerRegistration(partner)))
        }
    }
}

/// A payment as it crosses the link: the payment, and whether it replays an earlier answer.
struct LinkedPayment: Codable {
    var payment: Payment
    var replayed: Bool

    init(_ answer: Answered<Payment>) {
        payment = answer.value
        replayed = answer.replayed
    }

    var answered: Answered<Payment> { Answered(payment, replayed: replayed) }
}

/// One page of a partner's end-of-day file as it crosses the link: whole lines, at most
/// `bytesMax` of them, so every answer fits a frame however many payments the day had.
struct DailyFilePage: Codable, Equatable {
    var text: String
    var more: Bool

    static let bytesMax = 48 * 1024

    /// Page `number` (from 1) of `text`; past the end, an empty last page.
    static func page(_ number: Int, of text: String) -> DailyFilePage {
        var pages: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if !current.isEmpty, current.utf8.count + line.utf8.count + 1 > bytesMax {
                pages.append(current)
                current = ""
            }
            current += line + "\n"
        }
        pages.append(current)
        guard number <= pages.count else { return DailyFilePage(text: "", more: false) }
        return DailyFilePage(text: pages[number - 1], more: number < pages.count)
    }
}
