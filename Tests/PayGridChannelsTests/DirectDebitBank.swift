import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting

/// A world with bank ICBC taking direct debits, and the bank's side played by an independent
/// implementation (`Scripts/bank-results.py`, lxml): it reads the pain.008 PayGrid wrote and
/// answers with a pain.002 or a camt.054 valid against the ISO schemas.
struct DirectDebitBank {
    let world: TestWorld
    let mandates: DirectDebitMandates
    let runs: DirectDebitRuns
    let results: DirectDebitResults
    let directory = TemporaryDirectory.make("paygrid-dd")
    let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "财务", role: .finance,
                           outletID: Fixtures.outlet)
    static let creditorAccount = TestWorld.collectionAccounts[0].number

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let scripts = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts")
    static func schema(_ name: String) -> String { fixtures.appendingPathComponent("iso20022/\(name).xsd").path }
    static let hasPython = PythonTool.has("lxml")

    /// Registers ICBC in `world` (seeded already); notices go to `messages` when given.
    init(_ world: TestWorld, messages: (any MessageSender)? = nil) async throws {
        self.world = world
        _ = try await BankInterface(backend: world.backend).register(code: "ICBC", name: "工商银行", by: world.admin)
        mandates = DirectDebitMandates(backend: world.backend)
        runs = DirectDebitRuns(backend: world.backend, messages: messages, pageSize: 7)
        results = DirectDebitResults(backend: world.backend, messages: messages, chunkSize: 5)
    }

    /// An active mandate (sent by the bank) for customer `n`.
    @discardableResult
    func sign(_ n: Int, ceiling: String? = nil, origin: Mandate.Origin = .bank) async throws -> Mandate {
        try await mandates.sign(MandateRequest(
            bankCode: "ICBC", reference: origin == .bank ? "ICBC-MD-\(n)" : nil,
            accountNumber: Fixtures.account(n).rawValue, debtorName: "客户\(n)",
            debtorAccount: "622202******\(String(format: "%04d", n))", signedOn: Fixtures.day("2026-10-01"),
            origin: origin, ceiling: ceiling, mobile: "1380013\(String(format: "%04d", n))"),
            by: origin == .bank ? finance : world.cashier)
    }

    /// The run's pain.008 written to a file; its path.
    func pain008(_ date: Day) async throws -> String {
        let path = directory.path + "/pain008-\(date).xml"
        var bytes: [UInt8] = []
        try await runs.file(bank: "ICBC", collectionDate: date, creditorAccount: Self.creditorAccount, by: finance)
            .write { bytes += $0 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The bank's answer to `pain008`, built by `Scripts/bank-results.py` from `spec`.
    func bankFile(_ spec: [String: Any], answering pain008: String) throws -> [UInt8] {
        let name = "\(spec["kind"]!)-\(UUID().uuidString)"
        var full = spec
        full["pain008"] = pain008
        full["out"] = directory.path + "/\(name).xml"
        full["schemas"] = Self.fixtures.appendingPathComponent("iso20022").path
        full["message_id"] = full["message_id"] ?? String(name.prefix(30))
        let specPath = directory.path + "/\(name).json"
        try JSONSerialization.data(withJSONObject: full).write(to: URL(fileURLWithPath: specPath))
        let (status, output) = try PythonTool.run([Self.scripts.appendingPathComponent("bank-results.py").path,
                                                   specPath])
        guard status == 0 else { throw BankScriptFailed(output: output) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: full["out"] as! String)))
    }

    struct BankScriptFailed: Error { let output: String }

    /// Every instruction of a run.
    func instructions(_ date: Day) async throws -> [DebitInstruction] {
        try await world.store.read {
            try $0.debitInstructions(bank: "ICBC", collectionDate: date, after: nil, limit: 1_000_000)
        }
    }

    /// Validates `path` against the ISO schema `name` with lxml; answers whether it is valid, and lxml's words.
    static func validate(_ path: String, against name: String) throws -> (Bool, String) {
        let (status, output) = try PythonTool.run([scripts.appendingPathComponent("validate-xml.py").path,
                                                   schema(name), path])
        return (status == 0, output)
    }
}
