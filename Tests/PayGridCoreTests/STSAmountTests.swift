import Testing
@testable import PayGridCore

/// The amount encoding's boundaries, derived from IEC 62055-41 §6.3.6.2: exponent e carries
/// m·10^e + Σ 2^14·10^(n−1), and every conversion rounds up in the customer's favour.
@Suite struct STSAmountTests {
    @Test(arguments: [
        // (tenths asked, tenths carried, exponent, mantissa)
        [0, 0, 0, 0], [1, 1, 0, 1], [16_383, 16_383, 0, 16_383],
        [16_384, 16_384, 1, 0], [16_385, 16_394, 1, 1], [16_394, 16_394, 1, 1],
        [180_214, 180_214, 1, 16_383], [180_215, 180_224, 2, 0], [180_224, 180_224, 2, 0],
        [180_225, 180_324, 2, 1], [1_818_524, 1_818_524, 2, 16_383], [1_818_525, 1_818_624, 3, 0],
        [1_818_625, 1_819_624, 3, 1], [18_201_624, 18_201_624, 3, 16_383],
    ])
    func amountRoundsUpToTheNextCarriedValue(_ row: [Int]) throws {
        let amount = try #require(TransferAmount(roundingUp: row[0]))
        #expect(amount.tenths == row[1])
        #expect(amount.exponent == row[2])
        #expect(amount.mantissa == row[3])
    }

    @Test(arguments: [
        [0, 0], [16_383, 16_383], [16_384, 16_384], [16_385, 16_384], [16_393, 16_384], [16_394, 16_394],
        [180_214, 180_214], [180_215, 180_214], [180_223, 180_214], [180_224, 180_224], [180_323, 180_224],
        [1_818_525, 1_818_524], [18_201_624, 18_201_624],
    ])
    func theLargestCarriedAmountNotAboveIsExact(_ row: [Int]) {
        #expect(TransferAmount.carried(atMost: row[0]) == row[1])
    }

    @Test func largeSalesBuyOnlyWhatATokenCarriesExactly() throws {
        let meter = PrepaidMeter(
            meterNumber: "M1", accountNumber: AccountNumber("3100000001")!,
            pan: MeterPAN(iin: "600727", meterNumber: "00000000001")!,
            keyData: MeterKeyData(keyType: 2, supplyGroupCode: "123456", tariffIndex: 1, keyRevision: 1)!,
            baseYear: 2014)
        let time = CivilTime("2026-12-03 10:00")!
        for yuan in [Int64(100), 1_100, 13_000, 130_000, 1_100_000] {
            let plan = try VendPlan(toMeter: .yuan(yuan), meter: meter, category: .commercial, tariff: .standard,
                                    at: time)
            #expect(plan.transfer.tenths == plan.quote.tenthsKWh, "¥\(yuan): the token carries what was charged")
            #expect(plan.balanceAfter == .yuan(yuan) - plan.quote.charged, "¥\(yuan)")
            #expect(plan.balanceAfter >= .zero, "¥\(yuan)")
        }
        #expect(throws: PrepaidError.amountExceedsToken) {
            try VendPlan(toMeter: .yuan(1_200_000), meter: meter, category: .commercial, tariff: .standard, at: time)
        }
    }

    @Test func amountsOutsideTheEncodingAreRefused() {
        #expect(TransferAmount(roundingUp: -1) == nil)
        #expect(TransferAmount(roundingUp: 18_201_625) == nil)
    }

    @Test func everyFieldIsItsOwnEncoding() {
        var mismatched: [UInt16] = []
        for field in UInt16.min...UInt16.max where TransferAmount(roundingUp: TransferAmount(field: field).tenths)?
            .field != field {
            mismatched.append(field)
        }
        #expect(mismatched == [])
    }

    @Test func roundingNeverGivesLessAndAtMostOneStepMore() {
        var wrong: [Int] = []
        for tenths in stride(from: 0, through: TransferAmount.maximumTenths, by: 997) {
            let carried = TransferAmount(roundingUp: tenths)!.tenths
            let step = [1, 10, 100, 1_000][TransferAmount(roundingUp: tenths)!.exponent]
            if carried < tenths || carried - tenths >= step { wrong.append(tenths) }
        }
        #expect(wrong == [])
    }

    @Test func tokenIdentifierCountsMinutesFromTheBaseYear() throws {
        let time = try #require(CivilTime("2004-03-01 13:55:59"))
        #expect(TokenIdentifier(time, baseYear: 1993)?.minutes == 5_871_715)
        #expect(TokenIdentifier(time, baseYear: 2014) == nil)
        #expect(TokenIdentifier(CivilTime("2026-12-03 10:00")!, baseYear: 1993) == nil)
        #expect(TokenIdentifier(CivilTime("2026-12-03 10:00")!, baseYear: 2014)?.time(baseYear: 2014).description
            == "2026-12-03 10:00:00")
    }

    @Test func civilTimeReadsOnlyItsTwoForms() {
        #expect(CivilTime("2004-03-01 13:55")?.description == "2004-03-01 13:55:00")
        #expect(CivilTime("2004-03-01 24:00") == nil)
        #expect(CivilTime("2004-03-01T13:55") == nil)
        #expect(CivilTime("2004-03-01 +1:55") == nil)
    }

    @Test func panCarriesTheLuhnCheckDigit() {
        #expect(MeterPAN("600727000000000009") != nil)
        #expect(MeterPAN("600727000000000008") == nil)
        #expect(MeterPAN(iin: "600727", meterNumber: "00000000000")?.digits == "600727000000000009")
        #expect(MeterPAN("60072700000000000x") == nil)
    }

    @Test func vendingKeyNeverPrints() {
        let key = VendingKey(hex: "abababababababab")!
        #expect("\(key)" == "VendingKey(redacted)")
        #expect(String(reflecting: key) == "VendingKey(redacted)")
    }
}
