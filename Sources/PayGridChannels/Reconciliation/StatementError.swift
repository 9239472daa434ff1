import PayGridCore

/// Why a statement import was refused; nothing was stored.
public enum StatementError: Error, Equatable, Sendable, BusinessRejection {
    /// The file is not in its format; refused whole, naming the first bad line.
    case fileMalformed(line: Int, reason: String)
    /// This very file (same bytes) was imported before.
    case alreadyImported
    /// Another statement for the partner's day is in: one day, one worklist.
    case dayAlreadyImported
    /// An amount in another currency than the one PayGrid keeps.
    case currency(line: Int, found: String)
    /// The statement names (or the request names) no partner PayGrid knows.
    case channelUnknown(String)
    /// A statement format that does not name its channel and day needs them in the request.
    case channelAndDateRequired
    /// No statement of that day is in.
    case notImported
    /// A statement for a day that has not yet come (past tomorrow: a partner's day may roll ahead
    /// of the utility's at its cut-off): a far-future day would post payments there.
    case dayInFuture(Day)

    public var code: String {
        switch self {
        case .fileMalformed: "file_malformed"
        case .alreadyImported: "statement_already_imported"
        case .dayAlreadyImported: "statement_day_already_imported"
        case .currency: "statement_currency"
        case .channelUnknown: "statement_channel_unknown"
        case .channelAndDateRequired: "invalid_field"
        case .notImported: "statement_not_imported"
        case .dayInFuture: "statement_day_in_future"
        }
    }

    public var message: String {
        switch self {
        case .fileMalformed(let line, let reason): "line \(line): \(reason)"
        case .alreadyImported: "this very file was imported before"
        case .dayAlreadyImported: "a statement for this partner and day is already in; resolve its worklist instead"
        case .currency(let line, let found): "line \(line): amount in \(found); statements must be in CNY"
        case .channelUnknown(let code): "no bank or agent with code \(code)"
        case .channelAndDateRequired: "an ISO 20022 statement needs partner and date in the request"
        case .notImported: "no statement of that account and day has been imported"
        case .dayInFuture(let day): "the statement's day \(day) has not yet come"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .fileMalformed: .malformed
        case .alreadyImported, .dayAlreadyImported: .conflict
        case .currency, .channelAndDateRequired, .dayInFuture: .invalid
        case .channelUnknown, .notImported: .notFound
        }
    }
}
