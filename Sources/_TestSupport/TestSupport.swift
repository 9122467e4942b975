import QUBOModel
