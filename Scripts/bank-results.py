#!/usr/bin/env python3
"""A bank's answers to a direct-debit file, built independently of PayGrid: bank-results.py SPEC.json

Reads the pain.008.001.02 file PayGrid sent (with lxml), and writes what a bank would send back,
each file checked against its ISO 20022 schema before it is written:

- a pain.002.001.03 status report:
  {"kind": "pain002", "pain008": PATH, "out": PATH, "schemas": DIR, "message_id": ID,
   "group": "ACCP"|"PART"|"RJCT"|..., "group_reason": CODE?, "rejected": {E2E: CODE},
   "accepted": [E2E...]}  (listed accepted transactions; the rest take the group status)
- a camt.054.001.02 booking notification of the collection account:
  {"kind": "camt054", "pain008": PATH, "out": PATH, "schemas": DIR, "message_id": ID, "date": YYYY-MM-DD,
   "booked": [E2E...], "returned": {E2E: CODE}}
  Booked debits are one credit entry with a transaction per debit; each return is a debit entry
  with RvslInd and its return reason.

Prints nothing and exits 0 on success; an unknown end-to-end id or an invalid result exits 1.
"""
import json
import os
import sys
from decimal import Decimal

from lxml import etree

P8 = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
P2 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
C54 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


def sent(path):
    """The instructions of a pain.008 file: end-to-end id -> (amount, mandate, account number), and ids."""
    doc = etree.parse(path)
    ns = {"p": P8}
    msg_id = doc.findtext(".//p:GrpHdr/p:MsgId", namespaces=ns)
    pmt_inf_id = doc.findtext(".//p:PmtInf/p:PmtInfId", namespaces=ns)
    creditor_account = doc.findtext(".//p:PmtInf/p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=ns)
    txs = {}
    for tx in doc.iterfind(".//p:DrctDbtTxInf", namespaces=ns):
        e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns)
        txs[e2e] = (
            Decimal(tx.findtext("p:InstdAmt", namespaces=ns)),
            tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=ns),
            tx.findtext("p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref", namespaces=ns),
        )
    return msg_id, pmt_inf_id, creditor_account, txs


def sub(parent, tag, text=None, **attrs):
    """A child in its parent's namespace."""
    element = etree.SubElement(parent, f"{{{etree.QName(parent).namespace}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def reason(parent, code):
    sub(sub(sub(parent, "StsRsnInf"), "Rsn"), "Cd", code)


def pain002(spec, msg_id, pmt_inf_id, txs):
    root = etree.Element(f"{{{P2}}}Document", nsmap={None: P2})
    report = sub(root, "CstmrPmtStsRpt")
    header = sub(report, "GrpHdr")
    sub(header, "MsgId", spec["message_id"])
    sub(header, "CreDtTm", "2026-12-01T09:00:00")
    group = sub(report, "OrgnlGrpInfAndSts")
    sub(group, "OrgnlMsgId", msg_id)
    sub(group, "OrgnlMsgNmId", "pain.008.001.02")
    sub(group, "OrgnlNbOfTxs", str(len(txs)))
    sub(group, "GrpSts", spec["group"])
    if spec.get("group_reason"):
        reason(group, spec["group_reason"])
    listed = [(e2e, "ACCP", None) for e2e in spec.get("accepted", [])]
    listed += [(e2e, "RJCT", code) for e2e, code in spec.get("rejected", {}).items()]
    if listed:
        block = sub(report, "OrgnlPmtInfAndSts")
        sub(block, "OrgnlPmtInfId", pmt_inf_id)
        for e2e, status, code in listed:
            if e2e not in txs:
                sys.exit(f"unknown end-to-end id {e2e}")
            tx = sub(block, "TxInfAndSts")
            sub(tx, "OrgnlEndToEndId", e2e)
            sub(tx, "TxSts", status)
            if code:
                reason(tx, code)
    return root


def camt054(spec, creditor_account, txs):
    root = etree.Element(f"{{{C54}}}Document", nsmap={None: C54})
    message = sub(root, "BkToCstmrDbtCdtNtfctn")
    header = sub(message, "GrpHdr")
    sub(header, "MsgId", spec["message_id"])
    sub(header, "CreDtTm", spec["date"] + "T18:00:00")
    notification = sub(message, "Ntfctn")
    sub(notification, "Id", spec["message_id"])
    sub(notification, "CreDtTm", spec["date"] + "T18:00:00")
    sub(sub(sub(sub(notification, "Acct"), "Id"), "Othr"), "Id", creditor_account)

    def entry(amount, direction, reversal, reference, family, details):
        ntry = sub(notification, "Ntry")
        sub(ntry, "Amt", f"{amount:.2f}", Ccy="CNY")
        sub(ntry, "CdtDbtInd", direction)
        if reversal:
            sub(ntry, "RvslInd", "true")
        sub(ntry, "Sts", "BOOK")
        sub(sub(ntry, "BookgDt"), "Dt", spec["date"])
        sub(sub(ntry, "ValDt"), "Dt", spec["date"])
        sub(ntry, "AcctSvcrRef", reference)
        code = sub(sub(ntry, "BkTxCd"), "Domn")
        sub(code, "Cd", "PMNT")
        fmly = sub(code, "Fmly")
        sub(fmly, "Cd", "RDDT")
        sub(fmly, "SubFmlyCd", family)
        entry_details = sub(ntry, "NtryDtls")
        for e2e, code in details:
            if e2e not in txs:
                sys.exit(f"unknown end-to-end id {e2e}")
            amount_of, mandate, account = txs[e2e]
            tx = sub(entry_details, "TxDtls")
            refs = sub(tx, "Refs")
            sub(refs, "EndToEndId", e2e)
            sub(refs, "MndtId", mandate)
            sub(sub(sub(tx, "AmtDtls"), "TxAmt"), "Amt", f"{amount_of:.2f}", Ccy="CNY")
            sub(sub(sub(sub(tx, "RmtInf"), "Strd"), "CdtrRefInf"), "Ref", account)
            if code:
                sub(sub(sub(tx, "RtrInf"), "Rsn"), "Cd", code)

    booked = spec.get("booked", [])
    if booked:
        entry(sum(txs[e2e][0] for e2e in booked if e2e in txs), "CRDT", False, spec["message_id"] + "-B", "PMDD",
              [(e2e, None) for e2e in booked])
    for n, (e2e, code) in enumerate(spec.get("returned", {}).items()):
        if e2e not in txs:
            sys.exit(f"unknown end-to-end id {e2e}")
        entry(txs[e2e][0], "DBIT", True, f"{spec['message_id']}-R{n}", "UPDD", [(e2e, code)])
    return root


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    msg_id, pmt_inf_id, creditor_account, txs = sent(spec["pain008"])
    if spec["kind"] == "pain002":
        root, schema = pain002(spec, msg_id, pmt_inf_id, txs), "pain.002.001.03.xsd"
    else:
        root, schema = camt054(spec, creditor_account, txs), "camt.054.001.02.xsd"
    xsd = etree.XMLSchema(etree.parse(os.path.join(spec["schemas"], schema)))
    if not xsd.validate(root):
        sys.exit(f"the {spec['kind']} built is not valid: {xsd.error_log}")
    etree.ElementTree(root).write(spec["out"], xml_declaration=True, encoding="UTF-8", pretty_print=True)


main()
