"""Evaluation metrics for classifiers (ROC, PR, operating points, calibration), for
images (Dice, IoU, HD95, PSNR, SSIM) and for comparing two methods (paired bootstrap).

Free of TensorFlow: metrics work on NumPy arrays of labels, scores and masks.
"""

from medtutor.metrics import classification, comparison, image
from medtutor.metrics.classification import *
from medtutor.metrics.comparison import *
from medtutor.metrics.image import *

__all__ = sorted([*classification.__all__, *comparison.__all__, *image.__all__])
