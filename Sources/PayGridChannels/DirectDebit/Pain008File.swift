import PayGridCore

/// A run's instructions as an ISO 20022 Customer Direct Debit Initiation (pain.008.001.02), valid
/// against the published schema: the group header with the run's count and control sum, one
/// payment information block for the collection date, and per instruction its end-to-end id,
/// amount, mandate (`MndtId`, `DtOfSgntr`), the debtor's name and masked account, and the
/// customer's account number as the creditor reference.
///
/// Written by hand, a piece at a time into a byte buffer: a million-instruction file is about a
/// gigabyte, built in seconds and never held whole (Foundation's `XMLDocument` would hold the tree).
/// The tests check the output against the ISO schema with lxml, an independent validator.
public struct Pain008File: Sendable {
    /// The utility as creditor: its name and the collection account the bank credits.
    public struct Creditor: Sendable, Equatable {
        public var name: String
        public var account: String

        public init(name: String, account: String) {
            self.name = name
            self.account = account
        }
    }

    public let run: DebitRun
    public let creditor: Creditor
    /// `CreDtTm`: when the run was made, so the file is the same bytes however often it is written.
    public let created: String

    public init(run: DebitRun, creditor: Creditor, created: String) {
        self.run = run
        self.creditor = creditor
        self.created = created
    }

    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"

    /// Everything before the first transaction.
    public var header: [UInt8] {
        let id = run.messageID, total = run.total.yuanString, count = run.count
        let agent = "<FinInstnId><Othr><Id>\(run.bankCode.markupEscaped)</Id></Othr></FinInstnId>"
        return Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="\(Self.namespace)">
            <CstmrDrctDbtInitn>
            <GrpHdr><MsgId>\(id)</MsgId><CreDtTm>\(created)</CreDtTm><NbOfTxs>\(count)</NbOfTxs>\
            <CtrlSum>\(total)</CtrlSum><InitgPty><Nm>\(creditor.name.markupEscaped)</Nm></InitgPty></GrpHdr>
            <PmtInf><PmtInfId>\(id)</PmtInfId><PmtMtd>DD</PmtMtd><NbOfTxs>\(count)</NbOfTxs>\
            <CtrlSum>\(total)</CtrlSum><PmtTpInf><SeqTp>RCUR</SeqTp></PmtTpInf>\
            <ReqdColltnDt>\(run.collectionDate)</ReqdColltnDt><Cdtr><Nm>\(creditor.name.markupEscaped)</Nm></Cdtr>\
            <CdtrAcct><Id><Othr><Id>\(creditor.account.markupEscaped)</Id></Othr></Id></CdtrAcct>\
            <CdtrAgt>\(agent)</CdtrAgt>

            """.utf8)
    }

    /// Appends one instruction's `DrctDbtTxInf` to `out`.
    public func append(_ i: DebitInstruction, to out: inout [UInt8]) {
        out += "<DrctDbtTxInf><PmtId><EndToEndId>".utf8
        out += i.endToEndID.utf8
        out += "</EndToEndId></PmtId><InstdAmt Ccy=\"CNY\">".utf8
        out += i.amount.yuanString.utf8
        out += "</InstdAmt><DrctDbtTx><MndtRltdInf><MndtId>".utf8
        out += i.mandateReference.utf8
        out += "</MndtId><DtOfSgntr>".utf8
        out += i.mandateSignedOn.description.utf8
        out += "</DtOfSgntr></MndtRltdInf></DrctDbtTx><DbtrAgt><FinInstnId><Othr><Id>".utf8
        out += i.bankCode.utf8
        out += "</Id></Othr></FinInstnId></DbtrAgt><Dbtr><Nm>".utf8
        out += i.debtorName.markupEscaped.utf8
        out += "</Nm></Dbtr><DbtrAcct><Id><Othr><Id>".utf8
        out += i.debtorAccount.rawValue.utf8
        out += "</Id></Othr></Id></DbtrAcct><RmtInf><Strd><CdtrRefInf><Ref>".utf8
        out += i.accountNumber.rawValue.utf8
        out += "</Ref></CdtrRefInf></Strd></RmtInf></DrctDbtTxInf>\n".utf8
    }

    public static let footer = Array("</PmtInf>\n</CstmrDrctDbtInitn>\n</Document>\n".utf8)
}
