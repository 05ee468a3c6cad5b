"""Evaluation metrics: classification (ROC, PR, operating points, calibration) and images
(Dice, IoU, HD95, PSNR, SSIM).

Free of TensorFlow: metrics work on NumPy arrays of labels, scores and masks.
"""

from medtutor.metrics.classification import (
    accuracy,
    average_precision,
    bootstrap_auc,
    calibration,
    check_binary,
    operating_point,
    roc_auc,
    threshold_for_sensitivity,
)
from medtutor.metrics.image import dice, hausdorff95, iou, psnr, ssim

__all__ = [
    "accuracy",
    "average_precision",
    "bootstrap_auc",
    "calibration",
    "check_binary",
    "dice",
    "hausdorff95",
    "iou",
    "operating_point",
    "psnr",
    "roc_auc",
    "ssim",
    "threshold_for_sensitivity",
]
