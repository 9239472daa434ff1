import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// The demo's direct debit (代扣): twenty customers with a DEMOBANK mandate (one signed at the
/// counter and still pending, one cancelled), and today's run done — its pain.008, the bank's
/// status report (one refusal for insufficient funds, one for a closed account) and its booking
/// notification, all applied and left in `statements/` for the README's month.
extension DemoUtility {
    static let mandateCustomers = 201...220
    static func mandateReference(_ n: Int) -> String { "DEMO-MD-\(n)" }

    func directDebitMonth(_ backend: Backend) async throws {
        guard customers >= Self.mandateCustomers.upperBound else { return }
        let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                               outletID: Self.hall01)
        let cashier = Operator(id: OperatorID(rawValue: "cashier1"), name: "王芳", role: .cashier,
                               outletID: Self.hall01)
        let mandates = DirectDebitMandates(backend: backend)
        let today = backend.clock.today
        for n in Self.mandateCustomers {
            let atCounter = n == Self.mandateCustomers.upperBound
            _ = try await mandates.sign(MandateRequest(
                bankCode: Self.bankCode, reference: atCounter ? nil : Self.mandateReference(n),
                accountNumber: Self.account(n), debtorName: "户主\(n)",
                debtorAccount: "621700******\(String(format: "%04d", n))", signedOn: today - 40,
                origin: atCounter ? .counter : .bank, ceiling: n % 5 == 0 ? "300.00" : nil,
                mobile: "1390000\(String(format: "%04d", n))"), by: atCounter ? cashier : finance)
        }
        _ = try await mandates.setState(bank: Self.bankCode, reference: Self.mandateReference(219), to: .cancelled,
                                        reason: "客户改用线上缴费", by: finance)
        let runs = DirectDebitRuns(backend: backend)
        let run = try await runs.create(bank: Self.bankCode, collectionDate: today, by: finance).run
        guard run.count > 2 else { return }
        var pain008: [UInt8] = []
        try await runs.file(bank: Self.bankCode, collectionDate: today, creditorAccount: Self.collectionAccount,
                            by: finance).write { pain008 += $0 }
        let name = run.messageID
        try Data(pain008).write(to: URL(fileURLWithPath: try statementPath(name + ".pain008.xml")))
        let instructions = try await backend.store.read {
            try $0.debitInstructions(bank: Self.bankCode, collectionDate: today, after: nil, limit: 100)
        }
        let refused = [instructions[0].endToEndID: "AM04", instructions[1].endToEndID: "AC04"]
        let status = Self.statusReport(run, listing: refused.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let booked = instructions.filter { refused[$0.endToEndID] == nil }
        let booking = CamtDocument(
            message: .notification, messageID: "\(Self.bankCode)-NTF-\(today.compactDescription)",
            account: Self.collectionAccount,
            entries: [CamtDocument.Entry(
                amount: booked.map(\.amount).sum(), direction: .credit, bookingDate: today, valueDate: today,
                accountServicerReference: "DD\(today.compactDescription)",
                transactions: booked.map { .init(endToEndID: $0.endToEndID, amount: $0.amount) })]
        ).xml(created: "\(today)T18:00:00+08:00", on: today)
        try status.write(toFile: try statementPath(name + ".pain002.xml"), atomically: true, encoding: .utf8)
        try booking.write(toFile: try statementPath(name + ".camt054.xml"), atomically: true, encoding: .utf8)
        let results = DirectDebitResults(backend: backend)
        _ = try await results.apply(Array(status.utf8), by: finance)
        _ = try await results.apply(Array(booking.utf8), by: finance)
    }

    /// A bank's pain.002 for `run` (group status PART): the instructions listed, each accepted
    /// (no reason) or refused for its reason; those not listed wait for their booking.
    static func statusReport(_ run: DebitRun, listing statuses: some Sequence<(String, String?)>) -> String {
        var lines = ""
        for (id, reason) in statuses {
            lines += "<TxInfAndSts><OrgnlEndToEndId>\(id)</OrgnlEndToEndId>"
            lines += reason.map { "<TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>\($0)</Cd></Rsn></StsRsnInf>" }
                ?? "<TxSts>ACCP</TxSts>"
            lines += "</TxInfAndSts>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
            <GrpHdr><MsgId>\(bankCode)-STS-\(run.collectionDate.compactDescription)</MsgId>\
            <CreDtTm>\(run.collectionDate)T09:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>\(run.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>\
            <GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
            <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(run.messageID)</OrgnlPmtInfId>
            \(lines)</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>

            """
    }
}
