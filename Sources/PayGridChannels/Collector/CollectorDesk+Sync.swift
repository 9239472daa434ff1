import PayGridCore
import PayGridServices
import PayGridStore

/// What the platform answered for one line of an upload.
public struct LineAnswer: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Applied now.
        case posted
        /// Claimed by an earlier upload of the same line; `record` says what was done then.
        case alreadyPosted = "already_posted"
        /// Kept in the file but not applied, for a supervisor to resolve (`code` says why).
        case held
        /// Not accepted: the file is broken here (`code` says how). Nothing after it was read.
        case refused
    }

    public var sequence: Int64?
    public var status: Status
    public var code: String?
    public var message: String?
    /// What the platform keeps of the line (every status but `refused`).
    public var record: DetailLineRecord?

    public init(sequence: Int64?, status: Status, code: String? = nil, message: String? = nil,
                record: DetailLineRecord? = nil) {
        (self.sequence, self.status, self.code, self.message, self.record) = (sequence, status, code, message, record)
    }
}

extension CollectorDesk {
    /// Takes part of the terminal's detail file, in order: each line must follow the last line the
    /// platform accepted (its sequence and its hash) and carry the device's signature. Each new line
    /// is claimed (terminal + sequence) and applied once, in one transaction for the upload; a line
    /// already accepted is answered as it was; the first line that breaks the file is refused with
    /// its number, and nothing after it is read. A partial upload therefore resumes from
    /// `syncStatus`. A line whose money cannot post (an account unknown, a reversal too late) is
    /// held: kept in the chain, not applied, and listed for the supervisor.
    public func sync(_ texts: [String], from terminal: CollectorTerminal) async throws -> [LineAnswer] {
        guard (1...CollectorLimits.linesPerUploadMax).contains(texts.count) else {
            throw CollectorError.uploadSizeInvalid
        }
        // Parsing and signatures need no database: checked before the writer, in order below.
        let lines = texts.map { text -> (SignedDetailLine?, Bool) in
            guard let signed = SignedDetailLine(text) else { return (nil, false) }
            return (signed, DetailSignature.isValid(signed.signature, of: signed.line.body,
                                                    publicKey: terminal.publicKey))
        }
        let clock = backend.clock, allocator = backend.allocator
        return try await backend.writer.submit { w in
            let collector = try self.collector(of: terminal, in: w)
            var answers: [LineAnswer] = []
            var last = try w.lastDetailLine(terminal: terminal.id)
            for (text, (signed, signatureValid)) in zip(texts, lines) {
                let refusal: CollectorError?
                let next = (last?.sequence ?? 0) + 1
                if let signed {
                    let line = signed.line
                    if line.terminal != terminal.id {
                        refusal = .lineOfAnotherTerminal(line.sequence)
                    } else if line.sequence < next {
                        let accepted = try w.detailLine(terminal: terminal.id, sequence: line.sequence)
                        if let accepted, accepted.text == signed.text {
                            answers.append(LineAnswer(sequence: line.sequence, status: .alreadyPosted,
                                                      record: accepted))
                            continue
                        }
                        refusal = .conflictsWithAccepted(line.sequence)
                    } else if line.sequence > next {
                        refusal = .sequenceGap(expected: next, got: line.sequence)
                    } else if line.previousHash != (last?.hash ?? DetailLine.genesis) {
                        refusal = .chainBroken(line.sequence)
                    } else if !signatureValid {
                        refusal = .signatureInvalid(line.sequence)
                    } else {
                        refusal = nil
                    }
                } else {
                    refusal = .lineMalformed(Self.sequenceNamed(by: text))
                }
                if let refusal {
                    answers.append(LineAnswer(sequence: signed?.line.sequence ?? Self.sequenceNamed(by: text),
                                              status: .refused, code: refusal.code, message: refusal.message))
                    break
                }
                let record = try Self.apply(signed!, of: terminal, by: collector, in: w, clock: clock,
                                            allocator: allocator)
                try w.insertDetailLine(record)
                last = record
                let status: LineAnswer.Status = record.outcome == .posted ? .posted : .held
                answers.append(LineAnswer(sequence: record.sequence, status: status, code: record.reason,
                                          record: record))
            }
            return answers
        }
    }

    /// The number an unreadable line starts with (`seq=12|…`), to name it in the refusal.
    static func sequenceNamed(by text: String) -> Int64? {
        guard text.hasPrefix("seq=") else { return nil }
        return Int64(text.dropFirst(4).prefix { $0 != "|" })
    }

    /// Applies one new line in a savepoint: posted, or held with the reason when a business rule
    /// refuses it (nothing of it then remains but the record).
    static func apply(_ signed: SignedDetailLine, of terminal: CollectorTerminal, by collector: Operator,
                      in w: any StoreWriter, clock: any WallClock, allocator: Allocator) throws -> DetailLineRecord {
        let line = signed.line
        var record = DetailLineRecord(
            terminal: terminal.id, sequence: line.sequence, hash: DetailSignature.hash(signed.text), text: signed.text,
            day: line.day, outcome: .posted, cash: try cashMoved(by: line, in: w),
            recordedAtMilliseconds: clock.nowMilliseconds)
        do {
            try w.savepoint {
                let shift = try w.openShift(cashier: collector.id)
                guard let shift, shift.businessDate == line.day else { throw CollectorError.dayNotOpen(line.day) }
                let reference = CollectorTerminal.reference(terminal: terminal.id, sequence: line.sequence)
                switch line.entry {
                case .payment(let account, let tender, let shownDue, let invoice):
                    guard let customer = try w.customer(account) else { throw PaymentError.accountNotFound }
                    let owed = allocator.amountDue(try w.bills(of: account), category: customer.category,
                                                   asOf: shift.businessDate)
                    let request = PaymentRequest(accountNumber: account, channel: .collector, tenders: [tender])
                    let payment = try Payments.record(request, by: collector, in: w, clock: clock, allocator: allocator,
                                                      externalReference: reference)
                    record.paymentID = payment.id
                    var flags: [String] = []
                    // Paid elsewhere meanwhile: just before this payment the account owed less than the
                    // terminal showed (its own earlier payments are in what it showed).
                    if owed.principal + owed.penalty < shownDue { flags.append("paid_elsewhere") }
                    if let invoice {
                        do {
                            try w.savepoint {
                                _ = try Invoices.print(payment, on: invoice, reprint: false, by: collector.id,
                                                       on: shift.businessDate, in: w,
                                                       atMilliseconds: clock.nowMilliseconds)
                            }
                        } catch let refusal as any BusinessRejection { flags.append("invoice:" + refusal.code) }
                    }
                    record.flag = flags.isEmpty ? nil : flags.joined(separator: ",")
                case .reversal(let of, let reason):
                    let original = try paymentOfLine(of, terminal: terminal, in: w)
                    let reversal = try Payments.recordReversal(
                        of: original, reason: reason, by: collector, today: shift.businessDate, in: w, clock: clock,
                        externalReference: reference)
                    record.paymentID = reversal.id
                case .invoiceVoid(let number, let reason):
                    _ = try Invoices.void(number, reason: reason, by: collector, on: shift.businessDate, in: w,
                                          atMilliseconds: clock.nowMilliseconds)
                case .invoicePrint(let of, let number):
                    let payment = try paymentOfLine(of, terminal: terminal, in: w)
                    _ = try Invoices.print(payment, on: number, reprint: true, by: collector.id,
                                           on: shift.businessDate, in: w, atMilliseconds: clock.nowMilliseconds)
                }
            }
        } catch let refusal as any BusinessRejection {
            record.outcome = .refused
            record.reason = refusal.code
            record.paymentID = nil
            record.flag = nil
            try voidPrintedForm(of: line, by: collector, in: w, clock: clock)
        }
        return record
    }

    /// A held line's form was printed all the same and is in the customer's hands: it is voided,
    /// so the platform never offers it as blank again.
    static func voidPrintedForm(of line: DetailLine, by collector: Operator, in w: any StoreWriter,
                                clock: any WallClock) throws {
        let form: InvoiceNumber?
        switch line.entry {
        case .payment(_, _, _, let invoice): form = invoice
        case .invoicePrint(_, let invoice): form = invoice
        case .reversal, .invoiceVoid: form = nil
        }
        guard let form else { return }
        do {
            try w.savepoint {
                _ = try Invoices.void(form, reason: .spoiled, by: collector, on: line.day, in: w,
                                      atMilliseconds: clock.nowMilliseconds)
            }
        } catch is any BusinessRejection {}
    }

    /// The cash a line puts in the collector's bag, whether or not it posts: a payment's cash; for a
    /// reversal, its payment's cash given back, when that is a payment line of the same day not
    /// reversed by an earlier line (what the terminal's own total counts, `FieldDay.cashTotal`).
    static func cashMoved(by line: DetailLine, in r: any StoreReader) throws -> Money {
        guard case .reversal(let of, _) = line.entry else { return line.cashTaken }
        guard let target = try r.detailLine(terminal: line.terminal, sequence: of), target.day == line.day,
              case .payment = SignedDetailLine(target.text)?.line.entry
        else { return .zero }
        let reversedBefore = try r.detailLines(terminal: line.terminal, day: line.day).contains { record in
            guard case .reversal(let earlier, _) = SignedDetailLine(record.text)?.line.entry else { return false }
            return earlier == of
        }
        return reversedBefore ? .zero : -target.cash
    }

    /// The payment posted by the terminal's payment line `sequence`.
    static func paymentOfLine(_ sequence: Int64, terminal: CollectorTerminal, in r: any StoreReader) throws -> Payment {
        guard let line = try r.detailLine(terminal: terminal.id, sequence: sequence), let id = line.paymentID,
              let payment = try r.payment(id), !payment.isReversal
        else { throw CollectorError.lineNotAPayment(sequence) }
        return payment
    }
}
