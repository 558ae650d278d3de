/**
 * Sizes of the data sets that libraries download by name. Every number carries its source: the
 * library's documentation page, the data set's card or its paper. A split with per-class counts lists
 * them in label order; `balanced` spreads a split evenly over `classes` (stated by the source).
 */
export interface KnownSplit {
  samples: number;
  /** Samples per class in label order, when the source states them. */
  classCounts?: number[];
}

export interface KnownDataset {
  /** As papers name it: `CIFAR-10`, `MNIST`. */
  title: string;
  splits: Record<string, KnownSplit>;
  classes?: number;
  /** Every split has the same count in each class. */
  balanced?: boolean;
  /** One sample as the library returns it, channels-first for images; absent when sizes vary. */
  inputShape?: number[];
  /** Where the numbers come from. */
  source: string;
}

const MNIST_TRAIN_PER_DIGIT = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const MNIST_TEST_PER_DIGIT = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const MNIST: KnownDataset = {
  title: 'MNIST',
  // 60,000 training and 10,000 test images, 28x28 grey (yann.lecun.com/exdb/mnist, LeCun et al. 1998);
  // per-digit counts as tallied from the label files train-labels-idx1-ubyte and t10k-labels-idx1-ubyte.
  splits: { train: { samples: 60_000, classCounts: MNIST_TRAIN_PER_DIGIT }, test: { samples: 10_000, classCounts: MNIST_TEST_PER_DIGIT } },
  classes: 10,
  inputShape: [1, 28, 28],
  source: 'yann.lecun.com/exdb/mnist',
};

const FASHION_MNIST: KnownDataset = {
  title: 'Fashion-MNIST',
  // Xiao, Rasul, Vollgraf 2017 (arXiv:1708.07747): 60,000/10,000 28x28 grey images, 10 classes,
  // 6,000 training and 1,000 test images per class.
  splits: { train: { samples: 60_000 }, test: { samples: 10_000 } },
  classes: 10,
  balanced: true,
  inputShape: [1, 28, 28],
  source: 'Xiao et al. 2017, arXiv:1708.07747',
};

const CIFAR10: KnownDataset = {
  title: 'CIFAR-10',
  // www.cs.toronto.edu/~kriz/cifar.html: 60,000 32x32 colour images in 10 classes, 6,000 per class;
  // 50,000 training and 10,000 test images (1,000 per class in the test batch).
  splits: { train: { samples: 50_000 }, test: { samples: 10_000 } },
  classes: 10,
  balanced: true,
  inputShape: [3, 32, 32],
  source: 'www.cs.toronto.edu/~kriz/cifar.html',
};

const CIFAR100: KnownDataset = {
  title: 'CIFAR-100',
  // www.cs.toronto.edu/~kriz/cifar.html: 100 classes of 600 images, 500 training and 100 test each.
  splits: { train: { samples: 50_000 }, test: { samples: 10_000 } },
  classes: 100,
  balanced: true,
  inputShape: [3, 32, 32],
  source: 'www.cs.toronto.edu/~kriz/cifar.html',
};

const CIFAR100_COARSE: KnownDataset = {
  ...CIFAR100,
  title: 'CIFAR-100 (20 superclasses)',
  // The same page: the 100 classes are grouped into 20 superclasses of 5 classes each.
  classes: 20,
};

/** torchvision.datasets.* — the page of each class in pytorch.org/vision/stable/datasets.html links its source. */
export const TORCHVISION: Record<string, KnownDataset> = {
  MNIST,
  FashionMNIST: FASHION_MNIST,
  KMNIST: {
    title: 'Kuzushiji-MNIST',
    // Clanuwat et al. 2018 (arXiv:1812.01718), table 1: 70,000 images, 60,000 train / 10,000 test,
    // 10 classes, balanced; 28x28 grey.
    splits: { train: { samples: 60_000 }, test: { samples: 10_000 } },
    classes: 10,
    balanced: true,
    inputShape: [1, 28, 28],
    source: 'Clanuwat et al. 2018, arXiv:1812.01718',
  },
  CIFAR10,
  CIFAR100,
  SVHN: {
    title: 'SVHN',
    // ufldl.stanford.edu/housenumbers: 73,257 digits for training, 26,032 for testing, 531,131 extra;
    // 10 classes, 32x32 colour (format 2).
    splits: { train: { samples: 73_257 }, test: { samples: 26_032 }, extra: { samples: 531_131 } },
    classes: 10,
    inputShape: [3, 32, 32],
    source: 'ufldl.stanford.edu/housenumbers',
  },
  STL10: {
    title: 'STL-10',
    // cs.stanford.edu/~acoates/stl10: 10 classes, 500 training and 800 test images per class,
    // 100,000 unlabeled images, 96x96 colour.
    splits: { train: { samples: 5_000 }, test: { samples: 8_000 }, unlabeled: { samples: 100_000 }, 'train+unlabeled': { samples: 105_000 } },
    classes: 10,
    inputShape: [3, 96, 96],
    source: 'cs.stanford.edu/~acoates/stl10',
  },
  ImageNet: {
    title: 'ImageNet (ILSVRC 2012)',
    // Russakovsky et al. 2015 (IJCV), table 2: 1,000 classes, 1,281,167 training images, 50,000
    // validation images (50 per class); image sizes vary.
    splits: { train: { samples: 1_281_167 }, val: { samples: 50_000 } },
    classes: 1000,
    source: 'Russakovsky et al. 2015, ILSVRC',
  },
  Food101: {
    title: 'Food-101',
    // Bossard et al. 2014 (ECCV): 101 classes, 750 training and 250 test images per class.
    splits: { train: { samples: 75_750 }, test: { samples: 25_250 } },
    classes: 101,
    balanced: true,
    source: 'Bossard et al. 2014, Food-101',
  },
  Flowers102: {
    title: 'Oxford 102 Flowers',
    // www.robots.ox.ac.uk/~vgg/data/flowers/102: 102 categories; training and validation sets of 10
    // images per class each, the test set holds the remaining 6,149 images.
    splits: { train: { samples: 1_020 }, val: { samples: 1_020 }, test: { samples: 6_149 } },
    classes: 102,
    source: 'www.robots.ox.ac.uk/~vgg/data/flowers/102',
  },
  OxfordIIITPet: {
    title: 'Oxford-IIIT Pet',
    // www.robots.ox.ac.uk/~vgg/data/pets: 37 categories; trainval.txt lists 3,680 images, test.txt 3,669.
    splits: { trainval: { samples: 3_680 }, test: { samples: 3_669 } },
    classes: 37,
    source: 'www.robots.ox.ac.uk/~vgg/data/pets',
  },
  CelebA: {
    title: 'CelebA',
    // Liu et al. 2015 / mmlab.ie.cuhk.edu.hk/projects/CelebA.html, list_eval_partition.txt: 162,770
    // training, 19,867 validation and 19,962 test images, aligned crops 178x218 colour; 40 binary
    // attributes (multi-label, so no class count).
    splits: { train: { samples: 162_770 }, valid: { samples: 19_867 }, test: { samples: 19_962 }, all: { samples: 202_599 } },
    inputShape: [3, 218, 178],
    source: 'mmlab.ie.cuhk.edu.hk/projects/CelebA.html',
  },
};

/**
 * EMNIST splits: Cohen et al. 2017 (arXiv:1702.05373), table II. torchvision lists 27 classes for
 * `letters` (class 0 "N/A" holds no images); 26 hold data.
 */
export const EMNIST: Record<string, KnownDataset> = {
  byclass: { title: 'EMNIST ByClass', splits: { train: { samples: 697_932 }, test: { samples: 116_323 } }, classes: 62, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
  bymerge: { title: 'EMNIST ByMerge', splits: { train: { samples: 697_932 }, test: { samples: 116_323 } }, classes: 47, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
  balanced: { title: 'EMNIST Balanced', splits: { train: { samples: 112_800 }, test: { samples: 18_800 } }, classes: 47, balanced: true, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
  letters: { title: 'EMNIST Letters', splits: { train: { samples: 124_800 }, test: { samples: 20_800 } }, classes: 26, balanced: true, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
  digits: { title: 'EMNIST Digits', splits: { train: { samples: 240_000 }, test: { samples: 40_000 } }, classes: 10, balanced: true, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
  mnist: { title: 'EMNIST MNIST', splits: { train: { samples: 60_000 }, test: { samples: 10_000 } }, classes: 10, balanced: true, inputShape: [1, 28, 28], source: 'Cohen et al. 2017, arXiv:1702.05373' },
};

/**
 * keras.datasets.* — keras.io/api/datasets: `load_data()` returns `(x_train, y_train), (x_test, y_test)`.
 * Shapes are those of the returned arrays (mnist: (28, 28), no channel axis), channels moved first.
 * reuters and boston_housing split one list at `int(len(x) * (1 - test_split))` (default 0.2).
 */
export const KERAS: Record<string, KnownDataset & { total?: number }> = {
  mnist: { ...MNIST, inputShape: [28, 28], source: 'keras.io/api/datasets/mnist' },
  fashion_mnist: { ...FASHION_MNIST, inputShape: [28, 28], source: 'keras.io/api/datasets/fashion_mnist' },
  cifar10: { ...CIFAR10, source: 'keras.io/api/datasets/cifar10 (arrays are (32, 32, 3), shown channels-first)' },
  cifar100: { ...CIFAR100, source: 'keras.io/api/datasets/cifar100 (arrays are (32, 32, 3), shown channels-first)' },
  imdb: {
    // keras.io/api/datasets/imdb: 25,000 training and 25,000 test reviews, labelled positive/negative;
    // Maas et al. 2011: each set is balanced, 12,500 of each. Reviews are sequences of varying length.
    title: 'IMDB reviews',
    splits: { train: { samples: 25_000 }, test: { samples: 25_000 } },
    classes: 2,
    balanced: true,
    source: 'keras.io/api/datasets/imdb; Maas et al. 2011',
  },
  reuters: {
    // keras.io/api/datasets/reuters: 11,228 newswires over 46 topics; default test_split=0.2.
    title: 'Reuters newswires',
    splits: {},
    total: 11_228,
    classes: 46,
    source: 'keras.io/api/datasets/reuters',
  },
  boston_housing: {
    // keras.io/api/datasets/boston_housing: 506 samples, 13 attributes, a price to regress; default test_split=0.2.
    title: 'Boston housing',
    splits: {},
    total: 506,
    inputShape: [13],
    source: 'keras.io/api/datasets/boston_housing',
  },
};

/**
 * sklearn.datasets.load_* / fetch_*: the data set descriptions shipped with scikit-learn
 * (sklearn/datasets/descr/*.rst, as installed by Debian's python3-sklearn 1.2.1). These return the
 * whole data set (`all`); fetch_20newsgroups returns `subset='train'` unless told otherwise.
 */
export const SKLEARN: Record<string, KnownDataset> = {
  load_iris: { title: 'Iris', splits: { all: { samples: 150, classCounts: [50, 50, 50] } }, classes: 3, inputShape: [4], source: 'sklearn descr/iris.rst: 150 instances, 50 in each of three classes, 4 attributes' },
  load_digits: {
    title: 'Digits (8x8)',
    // descr/digits.rst: 1,797 instances, 64 attributes, 10 classes; per-class counts tallied from the
    // bundled digits.csv.gz with Debian's python3-sklearn (np.bincount(load_digits().target)).
    splits: { all: { samples: 1_797, classCounts: [178, 182, 177, 183, 181, 182, 181, 179, 174, 180] } },
    classes: 10,
    inputShape: [64],
    source: 'sklearn descr/digits.rst',
  },
  load_wine: { title: 'Wine', splits: { all: { samples: 178, classCounts: [59, 71, 48] } }, classes: 3, inputShape: [13], source: 'sklearn descr/wine_data.rst: 178 instances; class_0 (59), class_1 (71), class_2 (48)' },
  load_breast_cancer: { title: 'Breast cancer (Wisconsin)', splits: { all: { samples: 569, classCounts: [212, 357] } }, classes: 2, inputShape: [30], source: 'sklearn descr/breast_cancer.rst: 569 instances; 212 malignant (0), 357 benign (1)' },
  load_diabetes: { title: 'Diabetes', splits: { all: { samples: 442 } }, inputShape: [10], source: 'sklearn descr/diabetes.rst: 442 instances, 10 predictive columns, a regression target' },
  fetch_california_housing: { title: 'California housing', splits: { all: { samples: 20_640 } }, inputShape: [8], source: 'sklearn descr/california_housing.rst: 20,640 instances, 8 attributes, a regression target' },
  fetch_covtype: {
    title: 'Forest covertypes',
    // descr/covtype.rst: 581,012 samples, 54 dimensions, 7 classes; per-class counts as listed by the
    // UCI Covertype page (archive.ics.uci.edu/dataset/31/covertype, "Class distribution").
    splits: { all: { samples: 581_012, classCounts: [211_840, 283_301, 35_754, 2_747, 9_493, 17_367, 20_510] } },
    classes: 7,
    inputShape: [54],
    source: 'sklearn descr/covtype.rst; UCI Covertype',
  },
  fetch_20newsgroups: {
    title: '20 Newsgroups',
    // descr/twenty_newsgroups.rst: 18,846 samples in 20 classes; subset='train' has 11,314 (the shape
    // shown there), so the test subset has 7,532.
    splits: { train: { samples: 11_314 }, test: { samples: 7_532 }, all: { samples: 18_846 } },
    classes: 20,
    source: 'sklearn descr/twenty_newsgroups.rst',
  },
};

/**
 * Hugging Face `load_dataset(name[, config])`: split sizes from each data set's card
 * (huggingface.co/datasets/<name>, "Data Splits"). Keys are `name` or `name/config`; canonical names
 * that moved under an organisation are listed under both.
 */
const HF_IMDB: KnownDataset = {
  title: 'IMDB reviews',
  splits: { train: { samples: 25_000 }, test: { samples: 25_000 }, unsupervised: { samples: 50_000 } },
  classes: 2,
  balanced: true,
  source: 'huggingface.co/datasets/stanfordnlp/imdb',
};
const HF_SST2: KnownDataset = { title: 'SST-2', splits: { train: { samples: 67_349 }, validation: { samples: 872 }, test: { samples: 1_821 } }, classes: 2, source: 'huggingface.co/datasets/nyu-mll/glue (sst2)' };
const HF_AG_NEWS: KnownDataset = { title: 'AG News', splits: { train: { samples: 120_000 }, test: { samples: 7_600 } }, classes: 4, balanced: true, source: 'huggingface.co/datasets/fancyzhx/ag_news; Zhang et al. 2015 (30,000 train / 1,900 test per class)' };
const HF_SQUAD: KnownDataset = { title: 'SQuAD v1.1', splits: { train: { samples: 87_599 }, validation: { samples: 10_570 } }, source: 'huggingface.co/datasets/rajpurkar/squad' };
const HF_EMOTION: KnownDataset = { title: 'Emotion', splits: { train: { samples: 16_000 }, validation: { samples: 2_000 }, test: { samples: 2_000 } }, classes: 6, source: 'huggingface.co/datasets/dair-ai/emotion (split config)' };
const HF_YELP_FULL: KnownDataset = { title: 'Yelp reviews (full)', splits: { train: { samples: 650_000 }, test: { samples: 50_000 } }, classes: 5, balanced: true, source: 'huggingface.co/datasets/Yelp/yelp_review_full; Zhang et al. 2015 (130,000 train / 10,000 test per star rating)' };
const HF_ROTTEN: KnownDataset = { title: 'Rotten Tomatoes', splits: { train: { samples: 8_530 }, validation: { samples: 1_066 }, test: { samples: 1_066 } }, classes: 2, balanced: true, source: 'huggingface.co/datasets/cornell-movie-review-data/rotten_tomatoes' };
const HF_TWEET_SENTIMENT: KnownDataset = { title: 'TweetEval sentiment', splits: { train: { samples: 45_615 }, validation: { samples: 2_000 }, test: { samples: 12_284 } }, classes: 3, source: 'huggingface.co/datasets/cardiffnlp/tweet_eval (sentiment)' };
const HF_MRPC: KnownDataset = { title: 'MRPC', splits: { train: { samples: 3_668 }, validation: { samples: 408 }, test: { samples: 1_725 } }, classes: 2, source: 'huggingface.co/datasets/nyu-mll/glue (mrpc)' };
const HF_COLA: KnownDataset = { title: 'CoLA', splits: { train: { samples: 8_551 }, validation: { samples: 1_043 }, test: { samples: 1_063 } }, classes: 2, source: 'huggingface.co/datasets/nyu-mll/glue (cola)' };
const HF_MNIST: KnownDataset = { ...MNIST, source: 'huggingface.co/datasets/ylecun/mnist' };
const HF_CIFAR10: KnownDataset = { ...CIFAR10, source: 'huggingface.co/datasets/uoft-cs/cifar10' };

export const HUGGING_FACE: Record<string, KnownDataset> = {
  imdb: HF_IMDB,
  'stanfordnlp/imdb': HF_IMDB,
  'glue/sst2': HF_SST2,
  'nyu-mll/glue/sst2': HF_SST2,
  sst2: HF_SST2,
  'stanfordnlp/sst2': HF_SST2,
  'glue/mrpc': HF_MRPC,
  'nyu-mll/glue/mrpc': HF_MRPC,
  'glue/cola': HF_COLA,
  'nyu-mll/glue/cola': HF_COLA,
  ag_news: HF_AG_NEWS,
  'fancyzhx/ag_news': HF_AG_NEWS,
  squad: HF_SQUAD,
  'rajpurkar/squad': HF_SQUAD,
  mnist: HF_MNIST,
  'ylecun/mnist': HF_MNIST,
  cifar10: HF_CIFAR10,
  'uoft-cs/cifar10': HF_CIFAR10,
  emotion: HF_EMOTION,
  'dair-ai/emotion': HF_EMOTION,
  'dair-ai/emotion/split': HF_EMOTION,
  yelp_review_full: HF_YELP_FULL,
  'Yelp/yelp_review_full': HF_YELP_FULL,
  rotten_tomatoes: HF_ROTTEN,
  'cornell-movie-review-data/rotten_tomatoes': HF_ROTTEN,
  'tweet_eval/sentiment': HF_TWEET_SENTIMENT,
  'cardiffnlp/tweet_eval/sentiment': HF_TWEET_SENTIMENT,
};

export { CIFAR100_COARSE };

/** Per-class counts of a split: stated ones, or an even spread for a balanced set. */
export function splitClassCounts(dataset: KnownDataset, split: KnownSplit): number[] | undefined {
  if (split.classCounts) return split.classCounts;
  if (dataset.balanced && dataset.classes && split.samples % dataset.classes === 0) {
    return new Array<number>(dataset.classes).fill(split.samples / dataset.classes);
  }
  return undefined;
}
