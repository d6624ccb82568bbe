"""Inference: device choice, preprocessing, and the Predictor (RGB images in, probability maps out)."""

from meddisseg_core.inference.device import DeviceReport, choose_device
from meddisseg_core.inference.model_location import default_model_path
from meddisseg_core.inference.predictor import Prediction, Predictor

__all__ = ["DeviceReport", "Prediction", "Predictor", "choose_device", "default_model_path"]
