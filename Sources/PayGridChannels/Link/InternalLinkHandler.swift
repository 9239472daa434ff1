import Crypto
import Foundation
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore
import Synchronization

/// The internal zone's side of the link: each checked statement runs the same use case as a
/// partner's call in one process, for the partner the statement names (looked up here again: a
/// partner suspended in the internal zone is refused even if the external zone has not heard yet),
/// which must be of the kind the operation serves.
public struct InternalLinkHandler: LinkHandler {
    let bank: BankInterface
    let agents: AgentPoints
    let desk: VoucherDesk
    let online: OnlineCollections
    let terminals: TerminalDesk
    let logger: Logger
    /// The day's file last paged out, so its later pages are cut from the same text.
    private let lastFile = DailyFileMemo()

    /// `desk` holds the backend and the key vouchers' PINs are hashed under.
    /// `vendingKeys` derives the prepaid meters' decoder keys for the terminals' sales.
    public init(desk: VoucherDesk, vendingKeys: any VendingKeyProvider = FileVendingKeys(keys: [:]), logger: Logger) {
        bank = BankInterface(backend: desk.backend)
        terminals = TerminalDesk(backend: desk.backend,
                                 vending: PrepaidVending(backend: desk.backend, keys: vendingKeys))
        agents = AgentPoints(backend: desk.backend)
        online = OnlineCollections(backend: desk.backend)
        self.desk = desk
        self.logger = logger
    }

    public func handle(_ call: LinkCall) async -> LinkAnswer {
        do {
            guard let partner = try await bank.backend.store.readCommitted({ try $0.partner(call["partner"]) }),
                call.operation.partnerKind.map({ $0 == partner.kind }) ?? true
            else {
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
        case .bankMandateAdd, .bankMandateCancel:
            let add = call.operation == .bankMandateAdd
            func field(_ name: String) -> String { call.parameters[name] ?? "" }
            let instruction = try BankMandateInstruction(
                bank: partner.code, action: add ? "add" : "cancel", reference: call["reference"],
                accountNumber: field("account_no"), debtorName: field("debtor_name"),
                debtorAccount: field("debtor_account"), signedOn: field("signed_on"), ceiling: field("ceiling"),
                mobile: field("mobile"))
            return Array(try encoder.encode(try await bank.applyMandate(instruction, by: partner)))
        case .bankMandateQuery:
            return Array(try encoder.encode(try await bank.mandate(call["reference"], by: partner)))
        case .partnerDailyFile:
            let date = Day(call["date"])!, page = Int(call["page"])!, key = "\(partner.code)|\(date)"
            let now = bank.backend.clock.nowMilliseconds
            // Page 1 starts a download with the file as it is now; later pages reuse that text.
            let text: String
            if page > 1, let held = lastFile.text(for: key, now: now) { text = held } else {
                text = try await bank.dailyFileText(date, by: partner)
                lastFile.hold(text, for: key, now: now)
            }
            return Array(try encoder.encode(DailyFilePage.page(page, of: text)))
        case .partnerRegistration:
            return Array(try encoder.encode(PartnerRegistration(partner)))
        case .agentCollect, .agentReverse, .agentCollections, .agentSettlement, .agentInvoicePrint,
             .agentInvoiceReprint, .agentInvoiceVoid:
            return try await runAgent(call, for: partner)
        case .phoneAccount:
            return Array(try encoder.encode(try await desk.phoneAccount(call["account_no"])))
        case .phoneRedeem:
            return Array(try encoder.encode(try await desk.redeemByPhone(
                call: call["call"], serial: call["voucher"], pin: call["pin"], account: call["account_no"],
                caller: call["caller"], gateway: partner)))
        case .onlineAccount:
            return Array(try encoder.encode(try await bank.query(call["account_no"], by: partner)))
        case .onlinePay:
            return Array(try encoder.encode(LinkedPayment(try await online.pay(
                outTradeNo: call["out_trade_no"], account: call["account_no"], amount: call["amount"],
                paidOn: Day(call["paid_on"])!, by: partner))))
        case .onlineRefund:
            return Array(try encoder.encode(try await online.refund(
                outTradeNo: call["out_trade_no"], account: call["account_no"], amount: call["amount"],
                reason: call["reason"], by: partner).value))
        case .terminalAccount, .terminalMeter, .terminalCard, .terminalPay, .terminalVend, .terminalStatus,
             .terminalReverse, .terminalNote, .terminalPayByCard, .terminalVendByCard:
            return try await runTerminal(call, for: partner)
        case .onlineStatement:
            return Array(try encoder.encode(try await online.statement(
                account: call["account_no"], holder: call["holder"], by: partner)))
        case .onlineMandates, .onlineMandateSign, .onlineMandateCancel:
            return try await runMandate(call, for: partner)
        }
    }

    /// The online business hall's mandate statements, for the customer and account they name.
    private func runMandate(_ call: LinkCall, for provider: Partner) async throws -> [UInt8] {
        let encoder = JSONEncoder(), mandates = DirectDebitMandates(backend: bank.backend)
        switch call.operation {
        case .onlineMandates:
            return Array(try encoder.encode(try await mandates.online(
                account: call["account_no"], holder: call["holder"], by: provider)))
        case .onlineMandateSign:
            let request = MandateRequest(
                bankCode: call["bank"], accountNumber: call["account_no"], debtorName: call["debtor_name"],
                debtorAccount: call["debtor_account"], signedOn: bank.backend.clock.today, origin: .portal,
                ceiling: call.parameters["ceiling"], mobile: call.parameters["mobile"])
            return Array(try encoder.encode(try await mandates.signOnline(
                request, holder: call["holder"], customer: call["customer"], key: call["key"], by: provider)))
        case .onlineMandateCancel:
            return Array(try encoder.encode(try await mandates.cancelOnline(
                bank: call["bank"], reference: call["reference"], account: call["account_no"],
                holder: call["holder"], customer: call["customer"], key: call["key"], by: provider)))
        default:
            preconditionFailure("\(call.operation.rawValue) is not a mandate statement")
        }
    }

    /// A self-service terminal's statement.
    private func runTerminal(_ call: LinkCall, for terminal: Partner) async throws -> [UInt8] {
        let encoder = JSONEncoder()
        switch call.operation {
        case .terminalAccount:
            return Array(try encoder.encode(try await bank.query(call["account_no"], by: terminal)))
        case .terminalMeter:
            return Array(try encoder.encode(try await terminals.vending.meter(number: call["meter_no"])))
        case .terminalCard:
            return Array(try encoder.encode(try await terminals.vending.meter(card: call["card_no"])))
        case .terminalPay:
            return Array(try encoder.encode(LinkedPayment(try await terminals.pay(
                serial: call["serial"], account: call["account_no"], amount: call["amount"], by: terminal))))
        case .terminalVend:
            return Array(try encoder.encode(try await terminals.vend(
                serial: call["serial"], meter: call["meter_no"], amount: call["amount"], by: terminal).value))
        case .terminalStatus:
            return Array(try encoder.encode(try await terminals.status(of: call["serial"], by: terminal)))
        case .terminalReverse:
            return Array(try encoder.encode(try await terminals.reverse(
                serial: call["serial"], reason: call["reason"], by: terminal)))
        case .terminalPayByCard:
            return Array(try encoder.encode(LinkedPayment(try await terminals.pay(
                serial: call["serial"], account: call["account_no"], amount: call["amount"], card: Self.card(call),
                by: terminal))))
        case .terminalVendByCard:
            return Array(try encoder.encode(try await terminals.vend(
                serial: call["serial"], meter: call["meter_no"], amount: call["amount"], card: Self.card(call),
                by: terminal).value))
        case .terminalNote:
            guard let sequence = Int64(call["sequence"]) else { throw CashBoxError.sequenceReused }
            return Array(try encoder.encode(try await CashBoxes(backend: bank.backend).recordNote(
                sequence: sequence, serial: call["serial"],
                denomination: try Money.parse(yuan: call["denomination"], maximum: .yuan(100)), by: terminal)))
        default:
            preconditionFailure("\(call.operation.rawValue) is not a terminal's statement")
        }
    }

    static func card(_ call: LinkCall) -> TerminalCard {
        TerminalCard(maskedPAN: call["masked_pan"], approvalCode: call["approval_code"], reference: call["reference"])
    }

    /// An agent's statement, for the clerk it names where it takes one.
    private func runAgent(_ call: LinkCall, for agent: Partner) async throws -> [UInt8] {
        let encoder = JSONEncoder()
        func clerk() async throws -> Operator { try await agents.clerk(call["clerk"], of: agent) }
        func claim(_ method: String, _ target: String, by clerk: Operator) -> IdempotencyClaim {
            IdempotencyClaim(scope: clerk.id.rawValue, key: call["key"], method: method, target: target, body: [])
        }
        switch call.operation {
        case .agentCollect:
            return Array(try encoder.encode(LinkedPayment(try await agents.collect(
                serial: call["serial"], account: call["account_no"], amount: call["amount"], by: try await clerk()))))
        case .agentReverse:
            return Array(try encoder.encode(LinkedPayment(try await agents.reverse(
                serial: call["serial"], originalSerial: call["original_serial"], reason: call["reason"],
                by: try await clerk()))))
        case .agentCollections:
            return Array(try encoder.encode(try await agents.collections(on: Day(call["date"])!, of: agent)))
        case .agentSettlement:
            return Array(try encoder.encode(try await agents.settlement(on: Day(call["date"])!, of: agent)))
        case .agentInvoicePrint, .agentInvoiceReprint:
            let clerk = try await clerk(), again = call.operation == .agentInvoiceReprint
            let claim = claim(again ? "REPRINT" : "PRINT", call["serial"], by: clerk)
            let printed = again
                ? try await agents.reprintInvoice(serial: call["serial"], by: clerk, claim: claim)
                : try await agents.printInvoice(serial: call["serial"], by: clerk, claim: claim)
            return Array(try encoder.encode(printed))
        case .agentInvoiceVoid:
            let clerk = try await clerk()
            // Up to 32 digits cross: more than an Int holds is no form of ours.
            guard let form = Int(call["invoice_number"]) else { throw InvoiceError.notFound }
            let number = InvoiceNumber(code: call["invoice_code"], number: form)
            guard let reason = VoidReason(rawValue: call["reason"]), reason.isChosenByOperator else {
                throw BankError.fieldInvalid("reason must be spoiled or wrong_details")
            }
            return Array(try encoder.encode(try await agents.backend.invoices.void(
                number, reason: reason, by: clerk, claim: claim("VOID", number.description, by: clerk))))
        default:
            preconditionFailure("\(call.operation.rawValue) is not an agent's statement")
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
    /// SHA-256 (hex) of the whole file the page was cut from: pages of different versions of a
    /// day that is still taking payments never make one file.
    var digest: String

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
        let digest = SHA256.hash(data: Array(text.utf8)).hexString
        guard number <= pages.count else { return DailyFilePage(text: "", more: false, digest: digest) }
        return DailyFilePage(text: pages[number - 1], more: number < pages.count, digest: digest)
    }
}

/// One day's file held for the pages that follow its first (a bank downloads them back to back).
final class DailyFileMemo: Sendable {
    private let held = Mutex<(key: String, text: String, at: Int64)?>(nil)
    static let lifetimeMilliseconds: Int64 = 30_000

    func text(for key: String, now: Int64) -> String? {
        held.withLock { held in
            guard let held, held.key == key, now - held.at < Self.lifetimeMilliseconds else { return nil }
            return held.text
        }
    }

    func hold(_ text: String, for key: String, now: Int64) {
        held.withLock { $0 = (key, text, now) }
    }
}
