import PayGridCore
import Testing

@Suite struct MoneyTests {
    static let maximum = Money.yuan(100_000)

    @Test(
        arguments: [("12", 1200), ("12.3", 1230), ("12.34", 1234), ("0.01", 1), ("100000", 10_000_000), ("0.10", 10)]
            as [(String, Int64)])
    func parsesPlainAmounts(text: String, fen: Int64) throws {
        #expect(try Money.parse(yuan: text, maximum: Self.maximum) == Money(fen: fen))
    }

    @Test(arguments: [
        ("12.345", "amount_too_precise"), ("-1", "amount_not_positive"), ("0", "amount_not_positive"),
        ("0.00", "amount_not_positive"), ("1e3", "amount_malformed"), (" 1", "amount_malformed"),
        ("", "amount_malformed"), ("１２", "amount_malformed"), ("12.", "amount_malformed"), (".5", "amount_malformed"),
        ("1,000", "amount_malformed"), ("+1", "amount_malformed"), ("1.2.3", "amount_malformed"),
        ("100000.01", "amount_above_maximum"), ("99999999999999999999", "amount_above_maximum"),
    ])
    func refusesEverythingElse(text: String, code: String) {
        #expect { try Money.parse(yuan: text, maximum: Self.maximum) } throws: { ($0 as? AmountError)?.code == code }
    }

    @Test(arguments: [(0, "0.00"), (5, "0.05"), (1234, "12.34"), (-150, "-1.50"), (100, "1.00")] as [(Int64, String)])
    func formatsAsYuan(fen: Int64, text: String) {
        #expect(Money(fen: fen).yuanString == text)
    }

    @Test func arithmeticIsExact() {
        #expect(Money(fen: 10) + Money(fen: 20) - Money(fen: 5) == Money(fen: 25))
        #expect(Money(fen: 250) * 4 == Money(fen: 1_000))
        #expect(Money(fen: -3) * 3 == Money(fen: -9))
        #expect([Money(fen: 1), Money(fen: 2)].sum() == Money(fen: 3))
    }
}

/// Multiplication traps on overflow like addition and subtraction; it used to saturate silently.
@Suite struct MoneyOverflowTests {
    @Test func multiplicationTrapsOnOverflow() async {
        await #expect(processExitsWith: .failure) { _ = Money(fen: .max / 2 + 1) * 2 }
    }

    @Test func additionTrapsOnOverflow() async {
        await #expect(processExitsWith: .failure) { _ = Money(fen: .max) + Money(fen: 1) }
    }
}

@Suite struct MaskedPANTests {
    @Test(arguments: ["622848******1234", "411111***1111", "6228480000000001234"])
    func validation(text: String) {
        #expect((MaskedPAN(text) != nil) == text.contains("*"))
    }
}

@Suite struct ZeroAllowedTests {
    @Test(arguments: [("0", 0), ("0.00", 0), ("12.50", 1_250)] as [(String, Int64)])
    func zeroWhereItMeansNone(text: String, fen: Int64) throws {
        #expect(try Money.parse(yuan: text, maximum: .yuan(100), allowingZero: true) == Money(fen: fen))
    }

    @Test func negativeStaysRefused() {
        #expect(throws: AmountError.notPositive) { try Money.parse(yuan: "-1", maximum: .yuan(10), allowingZero: true) }
        #expect(throws: AmountError.notPositive) { try Money.parse(yuan: "0", maximum: .yuan(10), allowingZero: false) }
    }
}

/// PCI DSS: a full card number is refused in any card field, not only in masked_pan (#10.25).
@Suite struct CardNumberTests {
    @Test(arguments: [("6222021234567890128", true), ("4111 1111 1111 1111", true), ("ref 4111-1111-1111-1111 x", true),
                      ("4111111111111112", false), ("000123", false), ("123456789012", false), ("POS01", false),
                      ("6228480402564890018000", true), ("41111111111111112222", true), ("4111１１１１１１１１１１１１", true),
                      ("1234567890123456789", false)])
    func cardNumbersAreFound(text: String, isCardNumber: Bool) {
        #expect(MaskedPAN.containsCardNumber(text) == isCardNumber)
    }
}
