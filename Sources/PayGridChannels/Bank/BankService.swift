import PayGridCore
import PayGridServices

/// What a signed bank may ask of the ledger: the same questions whether the ledger is in this
/// process (`BankInterface`) or behind the isolation link in the internal zone (`LinkedBank`).
public protocol BankService: Sendable {
    func query(_ account: String, by partner: Partner) async throws -> BankQueryResult
    func pay(serial: String, bankDate: Day, account: String, amount: String, by partner: Partner) async throws
        -> Answered<Payment>
    func reverse(serial: String, originalSerial: String, bankDate: Day, by partner: Partner) async throws
        -> Answered<Payment>
    func status(of serial: String, by partner: Partner) async throws -> BankStatus
    /// PayGrid's end-of-day file for the bank's business date, as the bank downloads it.
    func dailyFileText(_ date: Day, by partner: Partner) async throws -> String
    /// A mandate the bank added or cancelled (代扣协议), applied as a line of its mandate file.
    func applyMandate(_ instruction: BankMandateInstruction, by partner: Partner) async throws -> BankMandateOutcome
    /// The bank's mandate with that reference as it stands, for a bank whose answer was lost.
    func mandate(_ reference: String, by partner: Partner) async throws -> Mandate
}

extension BankInterface: BankService {
    public func dailyFileText(_ date: Day, by partner: Partner) async throws -> String {
        try await dailyFile(date, by: partner).text
    }

    public func applyMandate(_ instruction: BankMandateInstruction, by partner: Partner) async throws
        -> BankMandateOutcome
    {
        try await DirectDebitMandates(backend: backend).apply(instruction, from: partner)
    }

    public func mandate(_ reference: String, by partner: Partner) async throws -> Mandate {
        try await DirectDebitMandates(backend: backend).mandate(reference, of: partner)
    }
}
