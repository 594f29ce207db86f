"""`cchc report --province CODE --period 2026H1|2026 --format docx|pdf -o FILE [--json]`: the conference report."""

from __future__ import annotations

import os

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("report", help="báo cáo sơ kết 6 tháng / tổng kết năm công tác CCHC của tỉnh (DOCX, PDF)")
    p.add_argument("--province", required=True, help="mã tỉnh (ví dụ 80)")
    p.add_argument("--period", required=True, help="2026H1 (6 tháng đầu năm) hoặc 2026 (cả năm, tính đến ngày báo cáo)")
    p.add_argument("--format", required=True, help="docx hoặc pdf")
    p.add_argument("-o", "--output", required=True, help="tệp kết quả")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_report)


def _writable(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise CliError(f"-o: {path!r} là thư mục, cần tên tệp")
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise CliError(f"-o: không ghi được tệp {path!r} (thư mục không tồn tại hoặc không có quyền ghi)")


def cmd_report(args) -> int:
    from cchc.catalog.cli import _province
    from cchc.core.errors import DomainError

    from .services import report_build, report_period

    fmt = (args.format or "").lower()
    if fmt not in ("docx", "pdf"):
        raise CliError(f"--format: định dạng {args.format!r} không hỗ trợ (docx hoặc pdf)")
    _writable(args.output)
    try:
        report_period(args.period)
    except DomainError as exc:
        raise CliError(f"--period: {exc.message.removeprefix('period: ')}") from exc
    province = _province(args.province)
    report, data = report_build(province=province, period_text=args.period, fmt=fmt)
    tmp = f"{args.output}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, args.output)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise CliError(f"-o: không ghi được tệp {args.output!r} ({exc.strerror})") from exc
    out = {"province": province.code, "period": report["period"].code, "format": fmt, "file": os.path.abspath(args.output),
           "figures": len(report["figures"])}
    if args.json:
        emit_json(out)
    else:
        print(f"Đã ghi {out['file']}: báo cáo {report['period'].label} của {province.name}, {out['figures']} số liệu.")
    return 0
