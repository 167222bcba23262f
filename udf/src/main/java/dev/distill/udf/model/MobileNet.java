package dev.distill.udf.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * A small MobileNet (v1 style, Howard et al. 2017) for 28–64 pixel inputs: a 3×3 stem, then
 * depthwise-separable blocks (3×3 depthwise conv → BatchNorm → ReLU → 1×1 pointwise conv → BatchNorm
 * → ReLU), global average pooling and a linear head. A distinct family beside ConvNet and ResNet
 * for INFER's teacher ensemble; every BatchNorm lies on a sequential path, so compensators can
 * match its statistics.
 */
public final class MobileNet {
  /** (output channels, stride) of each depthwise-separable block. */
  private static final int[][] BLOCKS = {{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}};

  private MobileNet() {}

  public static Block build(int classes) {
    SequentialBlock net = new SequentialBlock()
        .add(conv(32, 3, 1, 1))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock());
    int in = 32;
    for (int[] b : BLOCKS) {
      net.add(new SequentialBlock()
          .add(conv(in, 3, b[1], in))
          .add(BatchNorm.builder().build())
          .add(Activation.reluBlock())
          .add(conv(b[0], 1, 1, 1))
          .add(BatchNorm.builder().build())
          .add(Activation.reluBlock()));
      in = b[0];
    }
    return net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static Conv2d conv(int filters, int kernel, int stride, int groups) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optGroups(groups)
        .optBias(false)
        .setFilters(filters)
        .build();
  }
}
