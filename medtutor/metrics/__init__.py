"""Evaluation metrics for classifiers (ROC, PR, operating points, calibration) and for
images (Dice, IoU, HD95, PSNR, SSIM).

Free of TensorFlow: metrics work on NumPy arrays of labels, scores and masks.
"""

from medtutor.metrics import classification, image
from medtutor.metrics.classification import *
from medtutor.metrics.image import *

__all__ = sorted([*classification.__all__, *image.__all__])
