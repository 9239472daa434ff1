import ArgumentParser
import PayGridCore

/// `paygrid sts`: STS (IEC 62055-41) prepaid-meter tokens by hand — make one, or read one back.
struct STSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sts", abstract: "Make or read a 20-digit STS electricity credit token.",
        subcommands: [Token.self, Key.self, Decode.self])

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the class-0 electricity credit token for a meter.",
            discussion: "The decoder key comes from the vending key by DKGA-02 (--vudk with the meter's key data "
                + "and PAN), or is given as --dk.")

        @OptionGroup var keyOptions: KeyOptions
        @Option(help: "Issue time in the meter's local time: \"YYYY-MM-DD HH:MM[:SS]\".") var issued: String
        @Option(help: "Units to transfer, kWh with at most one decimal.") var kwh: String
        @Option(help: "The 4-bit random number, 0–15 (random when left out).") var rnd: Int?
        @Option(help: "The base year of the token identifier: 1993, 2014 or 2035.") var baseYear = 1993

        func run() throws {
            let key = try keyOptions.decoderKey()
            guard let time = CivilTime(issued) else { throw ValidationError("--issued: \"YYYY-MM-DD HH:MM[:SS]\"") }
            guard TokenIdentifier.baseYears.contains(baseYear) else {
                throw ValidationError("--base-year: 1993, 2014 or 2035")
            }
            guard let identifier = TokenIdentifier(time, baseYear: baseYear) else {
                throw ValidationError(
                    "--issued is outside the 24-bit minutes from \(baseYear): choose another --base-year")
            }
            guard let tenths = STSCommand.tenths(kwh), let amount = TransferAmount(roundingUp: tenths) else {
                let most = STSCommand.kwhText(TransferAmount.maximumTenths)
                throw ValidationError("--kwh: 0 to \(most), one decimal at most")
            }
            let random = rnd ?? Int.random(in: 0...15)
            guard (0...15).contains(random) else { throw ValidationError("--rnd: 0 to 15") }
            let token = CreditToken(random: random, identifier: identifier, amount: amount)
            print(token.number(key: key))
        }
    }

    /// The options that name a meter's decoder key: DKGA-02's inputs, or the key itself.
    struct KeyOptions: ParsableArguments {
        @Option(help: "Vending unique DES key, 16 hex digits.") var vudk: String?
        @Option(help: "Supply group code, 6 digits.") var sgc: String?
        @Option(help: "Tariff index, 0–99.") var ti: Int?
        @Option(help: "Key revision number, 1–9.") var krn: Int?
        @Option(help: "Key type: 0, 1 or 2.") var kt: Int?
        @Option(help: "The meter's 18-digit PAN (IIN, meter number, Luhn check digit).") var pan: String?
        @Option(help: "A decoder key, 16 hex digits, instead of the vending key options.") var dk: String?

        func decoderKey() throws -> DecoderKey {
            if let dk {
                guard vudk == nil, pan == nil else { throw ValidationError("--dk replaces --vudk and --pan: give one") }
                guard let key = DecoderKey(hex: dk) else { throw ValidationError("--dk: 16 hex digits") }
                return key
            }
            guard let vudk, let sgc, let ti, let krn, let kt, let pan else {
                throw ValidationError("give --dk, or all of --vudk --sgc --ti --krn --kt --pan")
            }
            guard let vendingKey = VendingKey(hex: vudk) else { throw ValidationError("--vudk: 16 hex digits") }
            guard let meter = MeterPAN(pan) else {
                throw ValidationError("--pan: 18 digits ending in the Luhn check digit")
            }
            guard let data = MeterKeyData(keyType: kt, supplyGroupCode: sgc, tariffIndex: ti, keyRevision: krn) else {
                throw ValidationError("--kt 0–2, --sgc 6 digits, --ti 0–99, --krn 1–9")
            }
            return DecoderKey(dkga02: vendingKey, pan: meter, key: data)
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a meter's decoder key (DKGA-02), as its manufacturer loads it.")
        @OptionGroup var keyOptions: KeyOptions

        func run() throws { print(try keyOptions.decoderKey().hex) }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt a token with a decoder key; exits 1 when it does not verify.")

        @Option(help: "The meter's decoder key, 16 hex digits.") var dk: String
        @Option(help: "The base year of the token identifier: 1993, 2014 or 2035.") var baseYear = 1993
        @Argument(help: "The 20-digit token.") var token: String

        func run() throws {
            guard let key = DecoderKey(hex: dk) else { throw ValidationError("--dk: 16 hex digits") }
            guard let number = TokenNumber(token) else { throw ValidationError("the token: 20 digits below 2^66") }
            do {
                let decoded = try CreditToken.decode(number, key: key)
                print("class 0 (credit)")
                print("subclass \(decoded.subclass) (\(STSCommand.subclassName(decoded.subclass)))")
                print("random \(decoded.random)")
                let issued = decoded.identifier.time(baseYear: baseYear)
                print("tid \(decoded.identifier.minutes) (\(issued), base \(baseYear))")
                print("amount \(STSCommand.kwhText(decoded.amount.tenths)) (field \(decoded.amount.field))")
                print("crc ok")
            } catch .notACreditToken(let tokenClass) {
                print("class \(tokenClass): not a credit token")
                throw ExitCode(1)
            } catch {
                print("crc mismatch: a wrong decoder key or a changed digit")
                throw ExitCode(1)
            }
        }
    }

    static func subclassName(_ subclass: Int) -> String {
        let names = ["electricity", "water", "gas", "time", "electricity currency", "water currency",
                     "gas currency", "time currency"]
        return names.indices.contains(subclass) ? names[subclass] : "reserved"
    }

    /// "12.3" → 123 tenths; nil for anything but digits with at most one decimal.
    static func tenths(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let whole = Int(parts[0]) else { return nil }
        guard parts.count == 2 else { return whole * 10 }
        guard parts[1].count == 1, let tenth = Int(parts[1]) else { return nil }
        return whole * 10 + tenth
    }

    static func kwhText(_ tenths: Int) -> String { KWh.text(tenths: tenths) + " kWh" }
}
