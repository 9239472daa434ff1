import Testing

/// `paygrid sts token|decode` as a meter technician runs them.
@Suite struct STSCommandTests {
    static let vendingOptions = ["--vudk", "abababababababab", "--sgc", "123456", "--ti", "1", "--krn", "1",
                                 "--kt", "2", "--pan", "600727000000000009"]

    @Test func tokenFromTheVendingKeyIsTheStandardsVector() async throws {
        let made = try await PayGridProcess.run(
            ["sts", "token"] + Self.vendingOptions + ["--issued", "2004-03-01 13:55", "--kwh", "0.1", "--rnd", "5"])
        #expect(made.status == 0)
        #expect(made.output == "23716100501183194197\n")
    }

    @Test func tokenFromADecoderKeyIsTheStandardsVector() async throws {
        let made = try await PayGridProcess.run(
            ["sts", "token", "--dk", "896745f3de12bc0a", "--issued", "1996-03-25 13:55:22", "--kwh", "25.6",
             "--rnd", "11"])
        #expect(made.output == "29054347139309851356\n")
    }

    @Test func keyPrintsTheDecoderKeyDKGA02Derives() async throws {
        let key = try await PayGridProcess.run(["sts", "key"] + Self.vendingOptions)
        #expect(key.output == "6ff35b9d1f3453e6\n")
    }

    @Test func decodePrintsTheFieldsAndTheCRCCheck() async throws {
        let decoded = try await PayGridProcess.run(
            ["sts", "decode", "--dk", "6ff35b9d1f3453e6", "23716100501183194197"])
        #expect(decoded.status == 0)
        #expect(decoded.output.contains("class 0 (credit)\nsubclass 0 (electricity)\nrandom 5\n"))
        #expect(decoded.output.contains("tid 5871715 (2004-03-01 13:55:00, base 1993)"))
        #expect(decoded.output.contains("amount 0.1 kWh"))
        #expect(decoded.output.hasSuffix("crc ok\n"))
    }

    @Test func decodeFailsOnAChangedDigit() async throws {
        let decoded = try await PayGridProcess.run(
            ["sts", "decode", "--dk", "6ff35b9d1f3453e6", "23716100501183194198"])
        #expect(decoded.status == 1)
        #expect(decoded.output.contains("crc mismatch"))
    }

    @Test(arguments: [
        ["--kwh", "0.15"], ["--kwh", "1e3"], ["--kwh", "1820162.5"], ["--rnd", "16"], ["--issued", "2004-03-01"],
    ])
    func badOptionsAreRefusedWithUsage(_ bad: [String]) async throws {
        var options = ["--issued", "2004-03-01 13:55", "--kwh", "0.1", "--rnd", "5"]
        let index = options.firstIndex(of: bad[0])!
        options[index + 1] = bad[1]
        let made = try await PayGridProcess.run(["sts", "token", "--dk", "896745f3de12bc0a"] + options)
        #expect(made.status == 64)
        #expect(made.output.contains("Error: \(bad[0])"))
    }

    @Test func aTimeOutsideTheBaseYearsRangeSaysWhichOptionToChange() async throws {
        let made = try await PayGridProcess.run(
            ["sts", "token", "--dk", "896745f3de12bc0a", "--issued", "2026-12-03 10:00", "--kwh", "10"])
        #expect(made.status == 64)
        #expect(made.output.contains("--base-year"))
        let later = try await PayGridProcess.run(
            ["sts", "token", "--dk", "896745f3de12bc0a", "--issued", "2026-12-03 10:00", "--kwh", "10",
             "--base-year", "2014"])
        #expect(later.status == 0)
    }
}
