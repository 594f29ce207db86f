"""Thanh toán trực tuyến phí, lệ phí: the VNPAY-protocol adapter, its local fake, and the national platform's contract."""
