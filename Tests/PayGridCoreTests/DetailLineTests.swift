import PayGridCore
import Testing

/// The detail file's line format: every kind of line reads back as written, and only as written.
@Suite struct DetailLineTests {
    static let day = Day("2026-12-03")!
    static let signature = [UInt8](repeating: 0xAB, count: 64)

    static func line(_ entry: DetailLine.Entry, sequence: Int64 = 7) -> DetailLine {
        DetailLine(terminal: "FT01", sequence: sequence, day: day, atMilliseconds: 1_764_748_800_000, entry: entry,
                   previousHash: DetailLine.genesis)
    }

    static let entries: [DetailLine.Entry] = [
        .payment(account: AccountNumber("3100000001")!, tender: .cash(amount: .yuan(120), tendered: .yuan(200)),
                 shownDue: Money(fen: 11_840), invoice: InvoiceNumber(code: "4400", number: 12)),
        .payment(account: AccountNumber("3100000002")!,
                 tender: .card(amount: Money(fen: 5_001), maskedPAN: MaskedPAN("622848******1234")!,
                               approvalCode: "A1", terminalID: "POS7", reference: "R9"),
                 shownDue: .zero, invoice: nil),
        .reversal(of: 3, reason: "wrong account | 户号错 = 100% \n again"),
        .invoiceVoid(InvoiceNumber(code: "4400", number: 13), reason: .spoiled),
        .invoicePrint(of: 1, InvoiceNumber(code: "4400", number: 14)),
    ]

    @Test(arguments: entries)
    func aLineReadsBackAsWritten(entry: DetailLine.Entry) throws {
        let text = Self.line(entry).text(signature: Self.signature)
        let read = try #require(SignedDetailLine(text))
        #expect(read.line == Self.line(entry))
        #expect(read.signature == Self.signature)
        #expect(!text.contains("\n"))
    }

    @Test func aCashPaymentIsSpelledAsDocumented() {
        let text = Self.line(Self.entries[0]).body
        #expect(text == "seq=7|terminal=FT01|day=2026-12-03|at=1764748800000|kind=pay|account=3100000001"
                + "|amount=120.00|method=cash|tendered=200.00|due=118.40|invoice=4400-00000012|prev="
                + DetailLine.genesis)
    }

    /// Each is a one-place change of a good line, or a second spelling of it.
    @Test(arguments: [
        ("seq=7|", "seq=07|"), ("amount=120.00", "amount=120.0"), ("|day=2026-12-03", "|day=2026-12-32"),
        ("kind=pay", "kind=refund"), ("tendered=200.00", "tendered=100.00"),
        ("|invoice=4400-00000012", "|invoice=4400-12"),
        ("terminal=FT01", "terminal=ft01"), ("|at=1764748800000", "|at=-1"), ("|sig=ab", "|sig=AB"),
        ("|due=118.40", "|due=118.40|due=118.40"), ("|method=cash", ""), ("|prev=0", "|prev=g"),
    ])
    func anythingElseIsNotALine(change: (String, String)) {
        let good = Self.line(Self.entries[0]).text(signature: Self.signature)
        let bad = good.replacingFirst(change.0, with: change.1)
        #expect(bad != good)
        #expect(SignedDetailLine(bad) == nil)
    }
}

extension String {
    func replacingFirst(_ old: String, with new: String) -> String {
        guard let range = firstRange(of: old) else { return self }
        return replacingCharacters(in: range, with: new)
    }
}
