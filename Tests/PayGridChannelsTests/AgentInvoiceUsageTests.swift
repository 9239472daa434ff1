import PayGridCore
import PayGridTesting
import Testing

@testable import PayGridChannels

/// The agent's invoice usage is a pure function of its forms and its day's collections: every
/// collection or form that does not reconcile is listed with its problem.
@Suite struct AgentInvoiceUsageTests {
    static let day = Fixtures.day("2026-11-04")
    static let clerk = OperatorID(rawValue: "clerk1")

    static func collection(_ id: String, _ fen: Int64, reversed: Bool = false) -> Payment {
        Payment(
            id: PaymentID(rawValue: id), accountNumber: Fixtures.account(1), channel: .agent,
            amount: Money(fen: fen), tenders: [.partner(amount: Money(fen: fen), reference: id)],
            businessDate: day, operatorID: clerk,
            outletID: OutletID(rawValue: "AGENT-STORE01"), status: reversed ? .reversed : .posted, allocations: [],
            prepaymentCredit: Money(fen: fen), change: .zero, recordedAtMilliseconds: 1)
    }

    static func form(
        _ number: Int, for payment: String? = nil, fen: Int64? = nil, _ state: InvoiceSlip.State = .used,
        on date: Day = day
    ) -> InvoiceSlip {
        InvoiceSlip(
            number: InvoiceNumber(code: "1440", number: number), state: state, holder: clerk,
            paymentID: payment.map(PaymentID.init(rawValue:)), face: fen.map(Money.init(fen:)),
            printedBy: payment == nil ? nil : clerk, businessDate: state == .issued ? nil : date,
            voidReason: state == .void ? .spoiled : nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var collections: [Payment]
        var forms: [InvoiceSlip]
        var problems: [String]
        var testDescription: String { name }
    }

    static let cases = [
        Case(
            name: "every collection printed", collections: [collection("P1", 1_000), collection("P2", 2_005)],
            forms: [form(1, for: "P1", fen: 1_000), form(2, for: "P2", fen: 2_005), form(3, .issued)], problems: []),
        Case(
            name: "one never printed", collections: [collection("P1", 1_000), collection("P2", 2_005)],
            forms: [form(1, for: "P1", fen: 1_000)], problems: ["no invoice"]),
        Case(
            name: "a face that differs", collections: [collection("P1", 1_000)],
            forms: [form(1, for: "P1", fen: 999)], problems: ["face amount differs"]),
        Case(
            name: "a reversed collection still invoiced", collections: [collection("P1", 1_000, reversed: true)],
            forms: [form(1, for: "P1", fen: 1_000)], problems: ["reversed collection with a live invoice"]),
        Case(
            name: "a form for another day's payment", collections: [],
            forms: [form(1, for: "P9", fen: 500)],
            problems: ["invoice for a payment that is not a collection of the day"]),
        Case(
            name: "an earlier day's forms do not count", collections: [collection("P1", 1_000)],
            forms: [
                form(1, for: "P0", fen: 700, on: day - 1), form(2, .void, on: day - 1),
                form(3, for: "P1", fen: 1_000),
            ],
            problems: []),
    ]

    func usage(_ c: Case) -> AgentInvoiceUsage {
        var live: [PaymentID: InvoiceSlip] = [:]
        for slip in c.forms where slip.state == .used { if let id = slip.paymentID { live[id] = slip } }
        return AgentInvoiceUsage.build(
            agent: "STORE01", on: Self.day, holders: [Self.clerk], forms: c.forms,
            collections: c.collections, live: live)
    }

    @Test(arguments: cases)
    func differencesAreListed(_ c: Case) {
        #expect(usage(c).differences.map(\.problem) == c.problems)
    }

    /// Without differences (bar collections never printed) the faces and the rest add up to the
    /// posted collections to the fen.
    @Test(arguments: cases.filter { $0.problems.allSatisfy { $0 == "no invoice" } })
    func facesAndTheRestAddUpToThePostedCollections(_ c: Case) throws {
        let report = usage(c)
        func fen(_ text: String) throws -> Money {
            try Money.parse(yuan: text, maximum: .yuan(1_000_000), allowingZero: true)
        }
        #expect(try fen(report.face_total) + fen(report.without_invoice_total) == fen(report.posted_total))
    }

    @Test func formsAreCountedByTheDayTheyWerePrintedOrVoided() {
        let report = usage(Self.cases[5])
        #expect(report.forms_used == 1)
        #expect(report.forms_voided == 0)
        #expect(report.used_ranges == ["1440-00000003"])
    }
}
