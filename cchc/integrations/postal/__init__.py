"""Trả kết quả qua bưu chính công ích: the carrier adapter (fake here; VNPost's API is not public), shipments, tracking."""
