#!/usr/bin/python3
"""Convert a TensorFlow.js layers model (Keras-style model.json + weight shards) to ONNX.

Written for nsfwjs's MobileNetV2 classifier (npm nsfwjs, dist/models/mobilenet_v2, unwrapped from its JavaScript
bundles by extract-tfjs-layers.mjs). convert-tfjs-graph.py reads graph models, whose nodes are TensorFlow ops; a
layers model lists Keras layers instead, so it needs its own walk, but shares that script's weight reader.
Supported layers: InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU (with max_value),
Add, AveragePooling2D, Flatten, Dense, Dropout. Unknown layers or settings stop the conversion with an error.

BatchNormalization that follows a convolution is folded into the convolution's weights and bias (inference
only: the moving statistics are constants), so the file holds one Conv per Keras Conv+BN pair.
Layout: the input stays NHWC like the original; one Transpose makes it NCHW for the convolutions, and Flatten goes
back to NHWC first so the Dense weights see TensorFlow's element order.

The output is deterministic: the same inputs give the same bytes.

Usage: convert-tfjs-layers.py MODEL.json OUT.onnx [--output-name NAME] [--doc TEXT]
"""

import argparse
import importlib.util
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def graph_converter_module():
    """convert-tfjs-graph.py, for its weight reader and model writer (its file name has a hyphen, so no plain import)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "convert-tfjs-graph.py")
    spec = importlib.util.spec_from_file_location("convert_tfjs_graph", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class LayersConverter:
    def __init__(self, layers, weights):
        self.layers = layers
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.values = {}  # Keras layer name -> ONNX value name (NCHW for 4-D activations)
        self.consumers = {}
        for layer in layers:
            for source in self.inbound(layer):
                self.consumers.setdefault(source, []).append(layer["name"])
        self.by_name = {layer["name"]: layer for layer in layers}
        self.folded = set()

    @staticmethod
    def inbound(layer):
        nodes = layer.get("inbound_nodes") or []
        if len(nodes) > 1:
            raise SystemExit(f"{layer['name']}: shared layers are not supported")
        return [entry[0] for entry in nodes[0]] if nodes else []

    def constant(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def weight(self, layer, key):
        name = f"{layer['name']}/{key}"
        if name not in self.weights:
            raise SystemExit(f"{layer['name']}: no weight {name}")
        return self.weights[name]

    def following_batch_norm(self, layer):
        """The BatchNormalization layer that is the only reader of this convolution, if there is one."""
        readers = self.consumers.get(layer["name"], [])
        if len(readers) == 1 and self.by_name[readers[0]]["class_name"] == "BatchNormalization":
            return self.by_name[readers[0]]
        return None

    def fold_batch_norm(self, layer, kernel, bias):
        """kernel in ONNX layout (out channels first); returns kernel and bias with the next BN folded in."""
        norm = self.following_batch_norm(layer)
        if norm is None:
            return kernel, bias, layer["name"]
        config = norm["config"]
        if config.get("axis") not in (-1, 3) or not config.get("center", True) or not config.get("scale", True):
            raise SystemExit(f"{norm['name']}: only channel-axis BatchNormalization with centre and scale is supported")
        gamma, beta = self.weight(norm, "gamma"), self.weight(norm, "beta")
        mean, variance = self.weight(norm, "moving_mean"), self.weight(norm, "moving_variance")
        # Computed in float64 and rounded once, so folding adds no more error than the original's own float32 BN.
        factor = gamma.astype(np.float64) / np.sqrt(variance.astype(np.float64) + config["epsilon"])
        kernel = (kernel.astype(np.float64) * factor.reshape(-1, 1, 1, 1)).astype(np.float32)
        bias = ((bias.astype(np.float64) - mean) * factor + beta).astype(np.float32)
        self.folded.add(norm["name"])
        self.values[norm["name"]] = norm["name"]
        return kernel, bias, norm["name"]

    def conv(self, layer, depthwise):
        config = layer["config"]
        if config.get("data_format", "channels_last") != "channels_last" or config.get("dilation_rate", [1, 1]) != [1, 1]:
            raise SystemExit(f"{layer['name']}: only channels_last, undilated convolutions are supported")
        if config.get("activation", "linear") != "linear":
            raise SystemExit(f"{layer['name']}: a fused activation is not supported")
        if depthwise:
            tf_kernel = self.weight(layer, "depthwise_kernel")  # kh, kw, in, multiplier
            kh, kw, channels, multiplier = tf_kernel.shape
            kernel = tf_kernel.reshape(kh, kw, channels * multiplier, 1).transpose(2, 3, 0, 1)
            group = channels
        else:
            tf_kernel = self.weight(layer, "kernel")  # kh, kw, in, out
            kh, kw = tf_kernel.shape[:2]
            kernel = tf_kernel.transpose(3, 2, 0, 1)
            group = 1
        out_channels = kernel.shape[0]
        bias = self.weight(layer, "bias") if config.get("use_bias") else np.zeros(out_channels, np.float32)
        kernel, bias, output = self.fold_batch_norm(layer, kernel, bias)
        strides = config["strides"]
        if config["padding"] == "same":
            if strides != [1, 1]:
                raise SystemExit(f"{layer['name']}: 'same' padding is supported with stride 1 only")
            # TensorFlow puts the odd pixel at the end.
            pads = [(kh - 1) // 2, (kw - 1) // 2, kh - 1 - (kh - 1) // 2, kw - 1 - (kw - 1) // 2]
        elif config["padding"] == "valid":
            pads = [0, 0, 0, 0]
        else:
            raise SystemExit(f"{layer['name']}: padding {config['padding']}")
        weights = self.constant(f"{layer['name']}/kernel", kernel)
        biases = self.constant(f"{layer['name']}/bias", bias)
        source = self.values[self.inbound(layer)[0]]
        self.node("Conv", [source, weights, biases], output, kernel_shape=[int(kh), int(kw)], strides=strides,
                  pads=pads, group=int(group))
        return output

    def convert(self, input_name):
        for layer in self.layers:
            kind, name, config = layer["class_name"], layer["name"], layer["config"]
            sources = [self.values[s] for s in self.inbound(layer)]
            if kind == "InputLayer":
                shape = config["batch_input_shape"]
                if len(shape) != 4:
                    raise SystemExit("only image inputs (NHWC) are supported")
                graph_input = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch"] + shape[1:])
                self.values[name] = self.node("Transpose", [input_name], f"{name}/nchw", perm=[0, 3, 1, 2])
            elif kind == "ZeroPadding2D":
                (top, bottom), (left, right) = config["padding"]
                pads = self.constant(f"{name}/pads", np.array([0, 0, top, left, 0, 0, bottom, right], np.int64))
                self.values[name] = self.node("Pad", [sources[0], pads], name)
            elif kind in ("Conv2D", "DepthwiseConv2D"):
                self.values[name] = self.conv(layer, kind == "DepthwiseConv2D")
            elif kind == "BatchNormalization":
                if name not in self.folded:
                    raise SystemExit(f"{name}: only BatchNormalization right after a convolution is supported")
            elif kind == "ReLU":
                if config.get("negative_slope", 0) != 0 or config.get("threshold", 0) != 0:
                    raise SystemExit(f"{name}: leaky or thresholded ReLU is not supported")
                if config.get("max_value") is None:
                    self.values[name] = self.node("Relu", sources, name)
                else:
                    low = self.constant(f"{name}/min", np.array(0, np.float32))
                    high = self.constant(f"{name}/max", np.array(config["max_value"], np.float32))
                    self.values[name] = self.node("Clip", [sources[0], low, high], name)
            elif kind == "Add":
                self.values[name] = self.node("Add", sources, name)
            elif kind == "AveragePooling2D":
                if config["padding"] != "valid":
                    raise SystemExit(f"{name}: only 'valid' average pooling is supported")
                self.values[name] = self.node("AveragePool", sources, name, kernel_shape=config["pool_size"],
                                              strides=config["strides"])
            elif kind == "Flatten":
                nhwc = self.node("Transpose", sources, f"{name}/nhwc", perm=[0, 2, 3, 1])
                self.values[name] = self.node("Flatten", [nhwc], name, axis=1)
            elif kind == "Dense":
                kernel = self.constant(f"{name}/kernel", self.weight(layer, "kernel"))
                bias = self.constant(f"{name}/bias", self.weight(layer, "bias"))
                activation = config.get("activation", "linear")
                dense = self.node("Gemm", [sources[0], kernel, bias], name if activation == "linear" else f"{name}/linear")
                if activation == "relu":
                    dense = self.node("Relu", [dense], name)
                elif activation == "softmax":
                    dense = self.node("Softmax", [dense], name, axis=-1)
                elif activation != "linear":
                    raise SystemExit(f"{name}: activation {activation}")
                self.values[name] = dense
            elif kind == "Dropout":
                self.values[name] = sources[0]  # inference: dropout passes its input through
            else:
                raise SystemExit(f"{name}: unsupported layer {kind}")
        return graph_input


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_json")
    parser.add_argument("output")
    parser.add_argument("--output-name", default="probabilities", help="name of the (single) output")
    parser.add_argument("--doc", default="", help="doc_string stored in the model (source and licence)")
    args = parser.parse_args()

    model = json.load(open(args.model_json))
    topology = model["modelTopology"]["model_config"]
    if topology["class_name"] not in ("Model", "Functional"):
        raise SystemExit("only functional Keras models are supported")
    config = topology["config"]
    if len(config["input_layers"]) != 1 or len(config["output_layers"]) != 1:
        raise SystemExit("only models with one input and one output are supported")
    graph_converter = graph_converter_module()
    weights = graph_converter.read_weights(os.path.dirname(os.path.abspath(args.model_json)),
                                                    model["weightsManifest"])
    converter = LayersConverter(config["layers"], weights)
    input_name = config["input_layers"][0][0]
    graph_input = converter.convert(input_name)

    last = converter.values[config["output_layers"][0][0]]
    converter.nodes.append(helper.make_node("Identity", [last], [args.output_name], name=args.output_name))
    units = converter.by_name[config["output_layers"][0][0]]["config"]["units"]
    graph_output = helper.make_tensor_value_info(args.output_name, TensorProto.FLOAT, ["batch", units])

    graph = helper.make_graph(converter.nodes, config["name"], [graph_input], [graph_output], converter.initializers)
    graph_converter.write_model(graph, "faceswap scripts/models/convert-tfjs-layers.py", args.doc, args.output)


if __name__ == "__main__":
    main()
