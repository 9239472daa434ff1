import Crypto
import PayGridCore
import PayGridServices
import PayGridStore

/// The collector's offline terminal (走收终端): it works from the day's work list without the
/// network, and everything it does is a signed line of its detail file. Its rules are the
/// counter's: a payment settles what the work list shows (the penalty of the list's day); a
/// reversal (冲正) is of a payment of the same day, once; a form is printed once, and a payment is
/// printed again only after its form was voided.
public struct FieldTerminal: Sendable {
    public let id: String
    let key: Curve25519.Signing.PrivateKey
    let journal: any FieldTerminalJournal
    let clock: any WallClock

    public init(id: String, key: Curve25519.Signing.PrivateKey, journal: any FieldTerminalJournal,
                clock: any WallClock) {
        self.id = id
        self.key = key
        self.journal = journal
        self.clock = clock
    }

    enum Setting {
        static let workList = "work_list"
        static let acknowledged = "acknowledged"
        static let endedDay = "ended_day"
        static let chainStart = "chain_start"
    }

    /// The day's work list, once downloaded.
    public func workList() throws -> WorkList? {
        try journal.value(Setting.workList).map { try FieldTerminalCoding.decode(WorkList.self, $0) }
    }

    /// Takes the day's work list: refused while the last day with lines is not ended. A laptop with
    /// no lines yet continues the chain where the platform has it (a reinstalled terminal).
    public func start(_ list: WorkList) throws {
        guard list.terminal == id else { throw FieldTerminalError.workListOfAnotherTerminal }
        if let current = try workList(), list.day != current.day, try !dayLines(of: current).isEmpty,
           try journal.value(Setting.endedDay) != current.day.description {
            throw FieldTerminalError.dayNotEnded(current.day)
        }
        if try journal.lines().isEmpty {
            try journal.setValue("\(list.lastSequence) \(list.lastHash)", for: Setting.chainStart)
            try journal.setValue(String(list.lastSequence), for: Setting.acknowledged)
        }
        try journal.setValue(try FieldTerminalCoding.encode(list), for: Setting.workList)
    }

    /// The list's day, refused when there is none or the day has ended.
    func openList() throws -> WorkList {
        guard let list = try workList() else { throw FieldTerminalError.noWorkList }
        guard try journal.value(Setting.endedDay) != list.day.description else {
            throw FieldTerminalError.dayEnded(list.day)
        }
        return list
    }

    /// The day as the terminal has it: the list and what its lines did.
    public func day() throws -> FieldDay {
        guard let list = try workList() else { throw FieldTerminalError.noWorkList }
        return FieldDay(list: list, lines: try dayLines(of: list))
    }

    /// The open day as its lines left it, for an action on it.
    func openDay() throws -> FieldDay {
        let list = try openList()
        return FieldDay(list: list, lines: try dayLines(of: list))
    }

    func dayLines(of list: WorkList) throws -> [DetailLine] {
        try journal.lines().compactMap { SignedDetailLine($0)?.line }.filter { $0.day == list.day }
    }

    /// Signs `entry` as the next line and appends it durably.
    @discardableResult
    func record(_ entry: DetailLine.Entry, on day: Day) throws -> DetailLine {
        let (sequence, previous): (Int64, String)
        if let last = try journal.lastLine(), let line = SignedDetailLine(last) {
            (sequence, previous) = (line.line.sequence + 1, DetailSignature.hash(last))
        } else {
            let start = try journal.value(Setting.chainStart)?.split(separator: " ") ?? ["0", "\(DetailLine.genesis)"]
            (sequence, previous) = ((Int64(start[0]) ?? 0) + 1, String(start[1]))
        }
        let line = DetailLine(terminal: id, sequence: sequence, day: day, atMilliseconds: clock.nowMilliseconds,
                              entry: entry, previousHash: previous)
        let text = line.text(signature: try DetailSignature.sign(line.body, with: key))
        // A value that cannot be written as a field (a `|` in a card reference, say) is refused here,
        // before the file holds a line the platform could never read.
        guard SignedDetailLine(text)?.line == line else { throw FieldTerminalError.valueUnwritable }
        try journal.append(text, sequence: sequence)
        return line
    }

    /// Takes a payment at the door; prints the next form when `invoice` is set.
    @discardableResult
    public func pay(_ account: AccountNumber, tender: Tender, invoice: Bool) throws -> DetailLine {
        let day = try openDay()
        guard let entry = day.list.accounts.first(where: { $0.number == account }) else {
            throw FieldTerminalError.accountNotOnList
        }
        guard tender.amount.isPositive, tender.change >= .zero else { throw FieldTerminalError.tenderInvalid }
        switch tender {
        case .cash, .card: break
        case .partner, .voucher: throw FieldTerminalError.tenderInvalid
        }
        let form = invoice ? try day.nextForm() : nil
        return try record(.payment(account: account, tender: tender, shownDue: day.due(entry), invoice: form),
                          on: day.list.day)
    }

    /// Reverses the payment of line `sequence`, taken today and not reversed yet.
    @discardableResult
    public func reverse(_ sequence: Int64, reason: String) throws -> DetailLine {
        let day = try openDay()
        guard let payment = day.payments[sequence], !payment.reversed else { throw FieldTerminalError.notReversible }
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= ReversalPolicy.reasonLengthMax else {
            throw FieldTerminalError.reasonInvalid
        }
        return try record(.reversal(of: sequence, reason: reason), on: day.list.day)
    }

    /// Voids a form held by the terminal: a printed one, or the next blank one (spoiled in the printer).
    @discardableResult
    public func voidForm(_ number: InvoiceNumber, reason: VoidReason) throws -> DetailLine {
        let day = try openDay()
        guard reason.isChosenByOperator || reason == .misaligned else { throw FieldTerminalError.voidReasonInvalid }
        guard day.list.forms.contains(number), !day.voidedForms.contains(number) else {
            throw FieldTerminalError.formNotVoidable
        }
        return try record(.invoiceVoid(number, reason: reason), on: day.list.day)
    }

    /// Prints payment `sequence` again on the next form, once its form is void.
    @discardableResult
    public func reprint(_ sequence: Int64) throws -> DetailLine {
        let day = try openDay()
        guard let payment = day.payments[sequence], !payment.reversed, let form = payment.form,
              day.voidedForms.contains(form)
        else { throw FieldTerminalError.notReprintable }
        return try record(.invoicePrint(of: sequence, try day.nextForm()), on: day.list.day)
    }

    /// The whole detail file, as the terminal exports it.
    public func detailFile() throws -> [String] { try journal.lines() }

    /// The last line the platform is known to hold.
    func acknowledgedSequence() throws -> Int64 { Int64(try journal.value(Setting.acknowledged) ?? "0") ?? 0 }

    func markSent(through sequence: Int64) throws {
        try journal.setValue(String(max(sequence, try acknowledgedSequence())), for: Setting.acknowledged)
    }

    /// Lines the platform has not acknowledged, at most `limit`: the next upload.
    public func unsent(limit: Int = CollectorLimits.linesPerUploadMax) throws -> [String] {
        let acknowledged = try acknowledgedSequence()
        return Array(try journal.lines().filter { (SignedDetailLine($0)?.line.sequence ?? 0) > acknowledged }
            .prefix(limit))
    }

    /// Notes what the platform answered: every line up to the last one it kept is sent.
    /// Answers the refusal, if any, for the collector to see.
    @discardableResult
    public func acknowledge(_ answers: [LineAnswer]) throws -> LineAnswer? {
        if let kept = answers.last(where: { $0.status != .refused })?.sequence {
            try markSent(through: kept)
        }
        return answers.first { $0.status == .refused }
    }

    /// The platform holds the file up to line `sequence`, whose hash is `hash`: when that is this
    /// terminal's own line, everything up to it is sent.
    public func acknowledge(through sequence: Int64, hash: String) throws {
        guard let text = try journal.lines().first(where: { SignedDetailLine($0)?.line.sequence == sequence }),
              DetailSignature.hash(text) == hash
        else { return }
        try markSent(through: sequence)
    }

    /// What the day end sends: the last line and the detail file's cash total. Refused while lines
    /// are unsent.
    public func dayEndFigures() throws -> (lastSequence: Int64, cashTotal: Money) {
        let day = try openDay()
        guard try unsent(limit: 1).isEmpty else { throw FieldTerminalError.unsentLines }
        let last = try journal.lastLine().flatMap(SignedDetailLine.init)?.line.sequence ?? acknowledgedSequence()
        return (last, day.cashTotal)
    }

    /// The platform closed the day: nothing more is recorded on it.
    public func dayEnded() throws {
        let list = try openList()
        try journal.setValue(list.day.description, for: Setting.endedDay)
    }
}

/// Why the terminal refused what the collector asked.
public enum FieldTerminalError: Error, Equatable, Sendable, BusinessRejection {
    case noWorkList
    case workListOfAnotherTerminal
    case dayNotEnded(Day)
    case dayEnded(Day)
    case accountNotOnList
    case tenderInvalid
    case noFormLeft
    case notReversible
    case reasonInvalid
    case formNotVoidable
    case notReprintable
    case unsentLines
    case valueUnwritable
    case voidReasonInvalid

    public var code: String {
        switch self {
        case .noWorkList: "no_work_list"
        case .workListOfAnotherTerminal: "work_list_other_terminal"
        case .dayNotEnded: "day_not_ended"
        case .dayEnded: "day_ended"
        case .accountNotOnList: "account_not_on_work_list"
        case .tenderInvalid: "tender_invalid"
        case .noFormLeft: "no_form_left"
        case .notReversible: "not_reversible"
        case .reasonInvalid: "reversal_reason_invalid"
        case .formNotVoidable: "form_not_voidable"
        case .notReprintable: "not_reprintable"
        case .unsentLines: "unsent_lines"
        case .valueUnwritable: "value_unwritable"
        case .voidReasonInvalid: "void_reason_invalid"
        }
    }

    public var message: String {
        switch self {
        case .noWorkList: "download the day's work list first"
        case .workListOfAnotherTerminal: "this work list is another terminal's"
        case .dayNotEnded(let day): "end the day \(day) first"
        case .dayEnded(let day): "the day \(day) is ended: download the next work list"
        case .accountNotOnList: "this account is not on today's work list"
        case .tenderInvalid: "a positive cash amount (tendered at least the amount) or card amount is required"
        case .noFormLeft: "no invoice form left: take the payment without one"
        case .notReversible: "no payment of today under this line, or it is reversed already"
        case .reasonInvalid: "a reversal needs a reason of 1 to \(ReversalPolicy.reasonLengthMax) characters"
        case .formNotVoidable: "this form is not held by the terminal, or it is void already"
        case .notReprintable: "a payment is printed again only after its form is voided"
        case .unsentLines: "sync the remaining lines first"
        case .valueUnwritable: "a value holds characters a detail line cannot carry (| or a line break)"
        case .voidReasonInvalid: "a form is voided as spoiled, wrong_details or misaligned"
        }
    }

    public var category: RejectionCategory { .invalid }
}
