<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>AddEquipmentDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="333" />
      <source>新增设备</source>
      <translation>Add equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="335" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="353" />
      <source>设备名称</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="337" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="354" />
      <source>型号规格</source>
      <translation>Model / spec</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="340" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="355" />
      <source>数量</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="342" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="357" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="343" />
      <source>正数，如 40</source>
      <translation>a positive number, e.g. 40</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="345" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="356" />
      <source>所属行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="350" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="358" />
      <source>产能单位</source>
      <translation>Capacity unit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="359" />
      <source>添加</source>
      <translation>Add</translation>
    </message>
  </context>
  <context>
    <name>BasicInfoForm</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="164" />
      <source>企业名称</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="164" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="165" />
      <source>所属区域</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="165" />
      <source>主要行业</source>
      <translation>Main sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="166" />
      <source>成立日期</source>
      <translation>Established on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="166" />
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="167" />
      <source>联系人</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="168" />
      <source>联系电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="168" />
      <source>纬度</source>
      <translation>Latitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="168" />
      <source>经度</source>
      <translation>Longitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="169" />
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="169" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="175" />
      <source>如 34.7466（厂址位置，照片按此核对距离）</source>
      <translation>e.g. 34.7466 (the site's position; photos are checked against it)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="176" />
      <source>如 113.6254</source>
      <translation>e.g. 113.6254</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="177" />
      <source>如 2003-05-18（可不填）</source>
      <translation>e.g. 2003-05-18 (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="179" />
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="200" />
      <source>（未指定）</source>
      <translation>(not set)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="180" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="181" />
      <source>保存修改（Ctrl+S）</source>
      <translation>Save changes (Ctrl+S)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="182" />
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="183" />
      <source>撤销上一次修改（Ctrl+Z）</source>
      <translation>Undo the last change (Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="184" />
      <source>重做</source>
      <translation>Redo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="185" />
      <source>重做（Ctrl+Shift+Z）</source>
      <translation>Redo (Ctrl+Shift+Z)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="252" />
      <source>企业名称不能为空</source>
      <translation>The enterprise name is required</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="254" />
      <source>请填写统一社会信用代码</source>
      <translation>Enter the unified social credit code</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="258" />
      <source>经纬度须为数字</source>
      <translation>Latitude and longitude must be numbers</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="260" />
      <source>经度和纬度须同时填写</source>
      <translation>Enter both latitude and longitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="273" />
      <source>企业“{name}”的基本信息（如备注）</source>
      <translation>Basic information of “{name}” (such as the notes)</translation>
    </message>
  </context>
  <context>
    <name>BugDialog</name>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="42" />
      <source>程序出错</source>
      <translation>Something went wrong</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="48" />
      <source>程序遇到了意外错误，您的数据没有丢失。请复制或保存错误报告，发给市办公室或技术支持。</source>
      <translation>The program ran into an unexpected error. Your data is safe. Copy or save the error report and send it to the city office or to support.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="57" />
      <source>错误详情</source>
      <translation>Error details</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="60" />
      <source>复制详情</source>
      <translation>Copy details</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="61" />
      <source>把错误详情复制到剪贴板</source>
      <translation>Copy the error details to the clipboard</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="64" />
      <source>保存报告…</source>
      <translation>Save report…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="65" />
      <source>把错误报告保存为文本文件（如存到 U 盘带给市办公室）</source>
      <translation>Save the error report as a text file (e.g. on a USB stick for the city office)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="77" />
      <source>保存错误报告</source>
      <translation>Save error report</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="78" />
      <source>文本文件 (*.txt)</source>
      <translation>Text files (*.txt)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="87" />
      <source>无法保存</source>
      <translation>Cannot save</translation>
    </message>
  </context>
  <context>
    <name>CapacityChart</name>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="117" />
      <source>已退出</source>
      <translation>Exited</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="118" />
      <source>计划退出</source>
      <translation>Planned</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="127" />
      <source>{sector}（{unit}）</source>
      <translation>{sector} ({unit})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="136" />
      <source>点击查看{sector}行业的企业</source>
      <translation>Click to see the {sector} enterprises</translation>
    </message>
  </context>
  <context>
    <name>CaptureDialog</name>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="146" />
      <source>拍照：{stage}</source>
      <translation>Take photos: {stage}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="149" />
      <source>摄像头</source>
      <translation>Camera</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="152" />
      <source>取景画面</source>
      <translation>Viewfinder</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="153" />
      <source>拍照</source>
      <translation>Take photo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="160" />
      <source>拍照（空格键或回车键）</source>
      <translation>Take photo (Space or Enter)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="171" />
      <source>已拍照片</source>
      <translation>Photos taken</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="178" />
      <source>完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="182" />
      <source>摄像头：</source>
      <translation>Camera:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="211" />
      <source>未检测到摄像头，无法在程序内拍照；请用相机拍摄后导入</source>
      <translation>No camera detected, so photos cannot be taken in the app; take them with a camera and import them</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="240" />
      <source>系统未允许本程序使用摄像头：请在系统设置的“隐私”中允许后重新打开拍照窗口。</source>
      <translation>The system does not allow this app to use the camera: allow it under “Privacy” in the system settings, then reopen the capture window.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="266" />
      <source>摄像头无法使用，请检查摄像头是否已连接、是否被其他程序占用，或在系统设置中允许本程序使用摄像头。</source>
      <translation>The camera cannot be used. Check that it is connected and not in use by another program, or allow this app to use the camera in the system settings.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="275" />
      <source>摄像头尚未就绪，请稍候再拍</source>
      <translation>the camera is not ready yet; please wait a moment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="276" />
      <source>摄像头暂时无法使用（可能被其他程序占用）</source>
      <translation>the camera is temporarily unavailable (another program may be using it)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="277" />
      <source>磁盘空间不足</source>
      <translation>not enough disk space</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="278" />
      <source>该摄像头不支持拍照</source>
      <translation>this camera cannot take still photos</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="279" />
      <source>摄像头输出的图像格式不受支持</source>
      <translation>the camera's image format is not supported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="281" />
      <source>拍照失败：{reason}</source>
      <translation>Capture failed: {reason}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="281" />
      <source>摄像头出错</source>
      <translation>camera error</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="301" />
      <source>拍照失败：摄像头没有给出图像，请再试一次</source>
      <translation>Capture failed: the camera returned no image; please try again</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="308" />
      <location filename="../../inspect_app/ui/capture.py" line="347" />
      <source>正在保存…</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="327" />
      <location filename="../../inspect_app/ui/capture.py" line="340" />
      <source>{time} 未保存</source>
      <translation>{time} not saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="328" />
      <source>这张照片未能保存：{reason}</source>
      <translation>This photo could not be saved: {reason}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="330" />
      <source>{time} ⚠ {n} 项疑点</source>
      <translation>{time} ⚠ {n} flag(s)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="331" />
      <location filename="../../inspect_app/ui/capture.py" line="333" />
      <source>已保存 {n} 张</source>
      <translation>{n} saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="341" />
      <location filename="../../inspect_app/ui/capture.py" line="353" />
      <source>未保存：{reason}</source>
      <translation>Not saved: {reason}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="342" />
      <source>这张照片未能保存</source>
      <translation>This photo could not be saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="354" />
      <source>已保存</source>
      <translation>Saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="354" />
      <source>这张照片已保存过</source>
      <translation>This photo was already saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="356" />
      <source>{head}，无疑点</source>
      <translation>{head}, no flags</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="358" />
      <source>{head}；疑点：{doubts}</source>
      <translation>{head}; flags: {doubts}</translation>
    </message>
  </context>
  <context>
    <name>CardDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="547" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="564" />
      <source>亮牌</source>
      <translation>Issue card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="549" />
      <source>黄牌（限期整改）</source>
      <translation>Yellow card (rectify in time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="550" />
      <source>红牌（依法关停）</source>
      <translation>Red card (closed by law)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="551" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="560" />
      <source>牌色</source>
      <translation>Card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="553" />
      <source>整个企业</source>
      <translation>Whole enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="556" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="561" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="557" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="562" />
      <source>亮牌日期</source>
      <translation>Issued on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="559" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="563" />
      <source>亮牌理由</source>
      <translation>Reason</translation>
    </message>
  </context>
  <context>
    <name>ChecklistStep</name>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="174" />
      <source>核查项</source>
      <translation>Item</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="174" />
      <location filename="../../inspect_app/ui/inspections.py" line="185" />
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="174" />
      <location filename="../../inspect_app/ui/inspections.py" line="185" />
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="175" />
      <location filename="../../inspect_app/ui/inspections.py" line="185" />
      <source>不适用</source>
      <translation>N/A</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="175" />
      <source>说明</source>
      <translation>Note</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="177" />
      <source>退出方式（按退出计划）：</source>
      <translation>Exit method (from the exit plan):</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="180" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="183" />
      <source>按企业的退出计划确定（在企业的“退出计划”中修改）；它决定哪些核查项为必查项</source>
      <translation>Set by the enterprise's exit plan (change it under the enterprise's Exit plans); it decides which checklist items are required</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="187" />
      <source>{item}的说明</source>
      <translation>Note on {item}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="188" />
      <source>说明（可选）</source>
      <translation>Note (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="250" />
      <location filename="../../inspect_app/ui/inspections.py" line="253" />
      <location filename="../../inspect_app/ui/inspections.py" line="266" />
      <location filename="../../inspect_app/ui/inspections.py" line="279" />
      <source>、</source>
      <translation>, </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="259" />
      <location filename="../../inspect_app/ui/inspections.py" line="289" />
      <location filename="../../inspect_app/ui/inspections.py" line="293" />
      <source>；</source>
      <translation>; </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="260" />
      <source>{method}（{equipment}）</source>
      <translation>{method} ({equipment})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="265" />
      <source>（{equipment} 无退出计划，按{method}核查）</source>
      <translation> ({equipment}: no exit plan, checked as {method})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="276" />
      <source>必查（{methods}）</source>
      <translation>Required ({methods})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="277" />
      <source>必查</source>
      <translation>Required</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="278" />
      <source>按{methods}退出的设备通过验收须答“是”：{equipment}</source>
      <translation>Must be “Yes” to pass the equipment exiting by {methods}: {equipment}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="281" />
      <source>通过验收须答“是”</source>
      <translation>Must be answered “Yes” for the opinion to pass</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="287" />
      <source>按{method}（{equipment}）：{gaps}</source>
      <translation>{method} ({equipment}): {gaps}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="291" />
      <location filename="../../inspect_app/ui/inspections.py" line="293" />
      <source>尚不能通过验收：</source>
      <translation>Cannot pass acceptance yet: </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="296" />
      <source>必查项均已满足，可以通过验收。</source>
      <translation>All required items are met: the acceptance can pass.</translation>
    </message>
  </context>
  <context>
    <name>ChooseEnterpriseDialog</name>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="704" />
      <source>安排核查：选择企业</source>
      <translation>Plan inspection: choose the enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="708" />
      <location filename="../../inspect_app/ui/inspections.py" line="716" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
  </context>
  <context>
    <name>CreateIdentityDialog</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="85" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="137" />
      <source>创建签名身份</source>
      <translation>Create signing identity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="138" />
      <source>在本机生成签名密钥和自签名证书。口令保护私钥，签发意见时需要输入；口令遗失无法找回，只能重新创建并重新申请证书。</source>
      <translation>Creates a signing key and a self-signed certificate on this computer. The passphrase protects the key and is asked for when issuing an opinion; a lost passphrase cannot be recovered — you would have to create a new identity and apply for a certificate again.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="141" />
      <location filename="../../inspect_app/ui/identity_box.py" line="146" />
      <source>签名人姓名</source>
      <translation>Signer's name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="143" />
      <location filename="../../inspect_app/ui/identity_box.py" line="147" />
      <source>所在单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="144" />
      <location filename="../../inspect_app/ui/identity_box.py" line="148" />
      <source>私钥口令</source>
      <translation>Key passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="145" />
      <location filename="../../inspect_app/ui/identity_box.py" line="149" />
      <source>再次输入口令</source>
      <translation>Passphrase again</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="150" />
      <source>创建</source>
      <translation>Create</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="157" />
      <source>请填写签名人姓名</source>
      <translation>Enter the signer's name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="159" />
      <source>请填写签名人所在单位</source>
      <translation>Enter the signer's organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="161" />
      <source>请设置私钥口令</source>
      <translation>Set a passphrase for the key</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="163" />
      <source>两次输入的口令不一致</source>
      <translation>The two passphrases differ</translation>
    </message>
  </context>
  <context>
    <name>Dashboard</name>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="259" />
      <source>工作台</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="260" />
      <source>年度工作日历</source>
      <translation>This year's calendar</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="261" />
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="262" />
      <source>设备状态</source>
      <translation>Equipment status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="263" />
      <source>红黄牌</source>
      <translation>Cards</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="264" />
      <source>各行业退出产能（已退出 / 计划）</source>
      <translation>Capacity exited by sector (exited / planned)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="265" />
      <source>本年度还没有退出计划</source>
      <translation>No exit plans for this year yet</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="266" />
      <source>红黄牌名单 ›</source>
      <translation>Red/yellow card lists ›</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="267" />
      <source>在报表页查看和导出红黄牌企业名单</source>
      <translation>View and export the red and yellow card lists on the Reports page</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="268" />
      <source>摸排情况 ›</source>
      <translation>Survey ›</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="269" />
      <source>在报表页查看和导出摸排情况统计表</source>
      <translation>View and export the survey table on the Reports page</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="270" />
      <source>关闭退出名单 ›</source>
      <translation>Closed-enterprise list ›</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="271" />
      <source>在报表页查看和导出关闭退出企业名单</source>
      <translation>View and export the closed-enterprise list on the Reports page</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="272" />
      <source>年度工作总结 ›</source>
      <translation>Annual summary ›</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="273" />
      <source>在报表页查看和导出年度工作总结：目标与完成情况</source>
      <translation>View and export the annual summary (targets against results) on the Reports page</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="274" />
      <source>逾期的整改期限</source>
      <translation>Overdue deadlines</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="275" />
      <source>即将到期的整改期限</source>
      <translation>Deadlines due soon</translation>
    </message>
    <message numerus="yes">
      <location filename="../../inspect_app/ui/dashboard.py" line="303" />
      <source>已逾期 %n 天</source>
      <translation>
        <numerusform>%n day overdue</numerusform>
        <numerusform>%n days overdue</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="305" />
      <source>今天截止</source>
      <translation>Due today</translation>
    </message>
    <message numerus="yes">
      <location filename="../../inspect_app/ui/dashboard.py" line="306" />
      <source>还有 %n 天</source>
      <translation>
        <numerusform>%n day left</numerusform>
        <numerusform>%n days left</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="311" />
      <source>{year} 年 · 今天 {today} · 共 {n} 家企业</source>
      <translation>{year} · today {today} · {n} enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="326" />
      <source>逾期 {n}</source>
      <translation>Overdue {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="327" />
      <source>查看整改期限已过的企业</source>
      <translation>Show enterprises with overdue deadlines</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="331" />
      <source>{n} 项将在 {days} 天内到期</source>
      <translation>{n} due within {days} days</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="333" />
      <source>没有逾期的整改期限</source>
      <translation>No overdue deadlines</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="334" />
      <source>近期没有到期的整改期限</source>
      <translation>No deadlines due soon</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="339" />
      <source>查看有“{label}”设备的企业</source>
      <translation>Show the enterprises with equipment “{label}”</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="347" />
      <source>红牌 {n}</source>
      <translation>Red {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="348" />
      <source>查看亮红牌的企业</source>
      <translation>Show red-carded enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="350" />
      <source>黄牌 {n}</source>
      <translation>Yellow {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="351" />
      <source>查看亮黄牌的企业</source>
      <translation>Show yellow-carded enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/dashboard.py" line="368" />
      <source>打开该企业</source>
      <translation>Open this enterprise</translation>
    </message>
  </context>
  <context>
    <name>DoctorDialog</name>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="84" />
      <source>健康检查</source>
      <translation>Health check</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="88" />
      <source>未发现问题：数据库、证据文件、审计链都完好。</source>
      <translation>No problems found: the database, the evidence files and the audit trail are sound.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="90" />
      <source>错误 {errors} 个，注意事项 {warnings} 个。请按提示处理；需要时从备份恢复。</source>
      <translation>Errors: {errors}; warnings: {warnings}. Follow the advice given; restore from a backup where needed.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="93" />
      <source>没有错误，有 {warnings} 个注意事项。</source>
      <translation>No errors; {warnings} warnings.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="94" />
      <source>数据目录：{path}</source>
      <translation>Data folder: {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="95" />
      <source>移到隔离文件夹…</source>
      <translation>Move to quarantine…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="96" />
      <source>把没有记录引用的证据文件移到数据目录下的 orphans 文件夹（不删除）</source>
      <translation>Move evidence files no record refers to into the orphans folder of the data folder (nothing is deleted)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="97" />
      <source>复制结果</source>
      <translation>Copy results</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="115" />
      <source>……另有 {n} 项</source>
      <translation>… {n} more</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="130" />
      <source>移到隔离文件夹</source>
      <translation>Move to quarantine</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="131" />
      <source>把没有任何记录引用的证据文件移到数据目录下的 orphans 文件夹？文件不会被删除。</source>
      <translation>Move the evidence files no record refers to into the orphans folder of the data folder? Nothing is deleted.</translation>
    </message>
  </context>
  <context>
    <name>EditEquipmentDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="333" />
      <source>新增设备</source>
      <translation>Add equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="335" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="353" />
      <source>设备名称</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="337" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="354" />
      <source>型号规格</source>
      <translation>Model / spec</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="340" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="355" />
      <source>数量</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="342" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="357" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="343" />
      <source>正数，如 40</source>
      <translation>a positive number, e.g. 40</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="345" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="356" />
      <source>所属行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="350" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="358" />
      <source>产能单位</source>
      <translation>Capacity unit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="359" />
      <source>添加</source>
      <translation>Add</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="397" />
      <source>修改设备</source>
      <translation>Edit equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="404" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
  </context>
  <context>
    <name>EnterpriseDetail</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="368" />
      <source>设备名称</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="368" />
      <source>型号规格</source>
      <translation>Model / spec</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="369" />
      <source>数量</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="369" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="370" />
      <source>行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="370" />
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="376" />
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="389" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="373" />
      <source>方面</source>
      <translation>Aspect</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="373" />
      <source>认定日期</source>
      <translation>Found on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="374" />
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="374" />
      <source>不设期限</source>
      <translation>No deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="375" />
      <source>延期至</source>
      <translation>Extended to</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="376" />
      <source>依据</source>
      <translation>Basis</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="379" />
      <source>牌色</source>
      <translation>Card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="379" />
      <source>亮牌日期</source>
      <translation>Issued on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="380" />
      <source>撤销日期</source>
      <translation>Lifted on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="380" />
      <source>理由</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="384" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="384" />
      <source>年度</source>
      <translation>Year</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="385" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="385" />
      <source>目标日期</source>
      <translation>Target date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="386" />
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="390" />
      <source>计划日期</source>
      <translation>Planned on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="390" />
      <source>核查日期</source>
      <translation>Visited on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="391" />
      <source>设备数</source>
      <translation>Items</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="392" />
      <source>验收组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="395" />
      <source>时间（北京时间）</source>
      <translation>Time (Beijing time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="396" />
      <source>操作人</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="396" />
      <source>操作</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="397" />
      <source>内容</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="457" />
      <source>期限内</source>
      <translation>On time</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="457" />
      <source>即将到期</source>
      <translation>Due soon</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="457" />
      <source>已逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="458" />
      <source>已办结</source>
      <translation>Resolved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="461" />
      <source>已安排</source>
      <translation>Planned</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="461" />
      <source>草稿</source>
      <translation>Draft</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="461" />
      <source>已完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="471" />
      <source>基本信息</source>
      <translation>Basic facts</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="471" />
      <source>设备及产能</source>
      <translation>Equipment and capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="471" />
      <source>认定与整改</source>
      <translation>Findings</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="471" />
      <source>红黄牌</source>
      <translation>Cards</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="472" />
      <source>退出计划</source>
      <translation>Exit plans</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="472" />
      <source>核查</source>
      <translation>Inspections</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="472" />
      <source>历史</source>
      <translation>History</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="474" />
      <source>新增设备</source>
      <translation>Add equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="475" />
      <source>修改设备…</source>
      <translation>Edit equipment…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="476" />
      <source>更正所选设备的名称、型号、数量、产能或行业（双击行亦可）</source>
      <translation>Correct the chosen equipment's name, model, quantity, capacity or sector (or double-click the row)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="477" />
      <source>变更状态…</source>
      <translation>Change status…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="478" />
      <source>按规则变更所选设备的状态（如 已拆除），写明原因</source>
      <translation>Move the chosen equipment to another status as the rules allow (e.g. Dismantled), with the reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="479" />
      <source>记录认定</source>
      <translation>Record finding</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="480" />
      <source>批准延期</source>
      <translation>Grant extension</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="481" />
      <source>仅能耗方面可延期一次，最长 3 个月，须在期限届满前申请</source>
      <translation>Only energy findings may be extended, once, by at most 3 months, applied for before the deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="482" />
      <source>亮牌</source>
      <translation>Issue card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="483" />
      <source>撤销红黄牌</source>
      <translation>Lift card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="484" />
      <source>制定退出计划</source>
      <translation>Plan exit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="485" />
      <source>安排核查</source>
      <translation>Plan inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="486" />
      <source>打开核查</source>
      <translation>Open inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_detail.py" line="487" />
      <source>能耗、质量方面整改期限为 6 个月；仅能耗方面可申请一次不超过 3 个月的延期。</source>
      <translation>Energy and quality findings have 6 months to rectify; only energy findings may be extended once, by at most 3 months.</translation>
    </message>
  </context>
  <context>
    <name>EnterprisePage</name>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="363" />
      <source>企业及设备</source>
      <translation>Enterprises &amp; equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="364" />
      <source>搜索企业名称、统一社会信用代码或地址（Ctrl+F）</source>
      <translation>Search name, credit code or address (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="365" />
      <source>搜索企业</source>
      <translation>Search enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="366" />
      <source>输入时自动筛选；按 Esc 清除</source>
      <translation>Filters as you type; Esc clears</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="367" />
      <source>仅看逾期</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="369" />
      <source>只显示整改期限已过而未办结的企业</source>
      <translation>Show only enterprises with a passed, unresolved rectification deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="370" />
      <source>新增企业</source>
      <translation>New enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="371" />
      <source>登记一家新企业（Ctrl+N）</source>
      <translation>Register a new enterprise (Ctrl+N)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="372" />
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="373" />
      <source>从数据库重新载入（F5）</source>
      <translation>Reload from the database (F5)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="374" />
      <source>按区域筛选</source>
      <translation>Filter by region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="375" />
      <source>按行业筛选</source>
      <translation>Filter by sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="376" />
      <source>按状态筛选</source>
      <translation>Filter by status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="377" />
      <source>按红黄牌筛选</source>
      <translation>Filter by card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="378" />
      <source>企业列表</source>
      <translation>Enterprise list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="379" />
      <source>还没有企业。点击“新增企业”或在命令行运行 inspect-app demo 载入演示数据。</source>
      <translation>No enterprises yet. Click “New enterprise”, or run inspect-app demo on the command line to load demo data.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="401" />
      <source>全部区域</source>
      <translation>All regions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="402" />
      <source>全部行业</source>
      <translation>All sectors</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="403" />
      <source>全部状态</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="404" />
      <source>红黄牌：全部</source>
      <translation>Cards: all</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="405" />
      <source>红牌</source>
      <translation>Red card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="405" />
      <source>黄牌</source>
      <translation>Yellow card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="405" />
      <source>未亮牌</source>
      <translation>No card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="426" />
      <source>正在载入企业列表…</source>
      <translation>Loading the enterprise list…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="499" />
      <source>设备状态：{status}  ✕</source>
      <translation>Equipment status: {status}  ✕</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="500" />
      <source>只显示有“{status}”设备的企业；点击取消此条件</source>
      <translation>Only enterprises with equipment “{status}”; click to remove this condition</translation>
    </message>
    <message numerus="yes">
      <location filename="../../inspect_app/ui/enterprises.py" line="512" />
      <source>共 %n 家企业</source>
      <translation>
        <numerusform>%n enterprise</numerusform>
        <numerusform>%n enterprises</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="514" />
      <source>显示 {shown} / 共 {total} 家</source>
      <translation>Showing {shown} of {total}</translation>
    </message>
  </context>
  <context>
    <name>EnterpriseTableModel</name>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="92" />
      <source>企业名称</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="92" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="92" />
      <source>所属区域</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="92" />
      <source>行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="93" />
      <source>设备数</source>
      <translation>Items</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="93" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="93" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="93" />
      <source>红黄牌</source>
      <translation>Cards</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="93" />
      <source>最近期限</source>
      <translation>Next deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="131" />
      <source>、</source>
      <translation>, </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="133" />
      <location filename="../../inspect_app/ui/enterprises.py" line="147" />
      <source>；</source>
      <translation>; </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprises.py" line="145" />
      <source>整改期限已逾期</source>
      <translation>The rectification deadline has passed</translation>
    </message>
  </context>
  <context>
    <name>EquipmentStatusDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="422" />
      <source>变更设备状态</source>
      <translation>Equipment status changed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="425" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="434" />
      <source>新状态</source>
      <translation>New status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="428" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="435" />
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="430" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="436" />
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="431" />
      <source>如 已现场核实拆除（记入操作记录）</source>
      <translation>e.g. dismantling verified on site (recorded in the audit trail)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="432" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="433" />
      <source>现状态</source>
      <translation>Current status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="437" />
      <source>变更</source>
      <translation>Change</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="439" />
      <source>该设备已处于最终状态，不能再变更</source>
      <translation>This equipment is in its final status and cannot change any more</translation>
    </message>
  </context>
  <context>
    <name>ExitPlanDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="599" />
      <source>制定退出计划</source>
      <translation>Plan exit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="604" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="616" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="608" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="617" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="612" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="618" />
      <source>计划年度</source>
      <translation>Plan year</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="613" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="619" />
      <source>目标日期</source>
      <translation>Target date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="615" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="620" />
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="625" />
      <source>请先为该企业添加设备</source>
      <translation>Add equipment to this enterprise first</translation>
    </message>
  </context>
  <context>
    <name>ExportRequestDialog</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="85" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="177" />
      <location filename="../../inspect_app/ui/identity_box.py" line="192" />
      <source>导出证书申请</source>
      <translation>Export certificate request</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="178" />
      <source>把导出的申请文件（.csr）交给市淘汰落后产能办公室；办公室签发证书后，用“导入证书”装入本机。</source>
      <translation>Give the exported request file (.csr) to the city office; once the office has issued the certificate, load it here with “Import certificate”.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="182" />
      <location filename="../../inspect_app/ui/identity_box.py" line="184" />
      <source>保存到</source>
      <translation>Save to</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="183" />
      <location filename="../../inspect_app/ui/identity_box.py" line="185" />
      <source>私钥口令</source>
      <translation>Key passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="186" />
      <source>导出</source>
      <translation>Export</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="192" />
      <source>证书申请 (*.csr *.pem)</source>
      <translation>Certificate requests (*.csr *.pem)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="198" />
      <source>请选择保存位置</source>
      <translation>Choose where to save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="200" />
      <source>文件已存在，不会覆盖：请换一个文件名</source>
      <translation>The file exists and will not be overwritten: choose another name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="202" />
      <source>请输入私钥口令</source>
      <translation>Enter the key passphrase</translation>
    </message>
  </context>
  <context>
    <name>ExtendDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="521" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="531" />
      <source>批准延期</source>
      <translation>Grant extension</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="523" />
      <source>{aspect}方面，现整改期限 {deadline}</source>
      <translation>Aspect: {aspect}; current deadline {deadline}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="525" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="529" />
      <source>延期至</source>
      <translation>Extended to</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="527" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="530" />
      <source>延期理由</source>
      <translation>Reason for extension</translation>
    </message>
  </context>
  <context>
    <name>FindingDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="458" />
      <source>记录认定</source>
      <translation>Record finding</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="460" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="478" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="464" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="479" />
      <source>认定方面</source>
      <translation>Aspect</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="468" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="481" />
      <source>认定日期</source>
      <translation>Found on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="470" />
      <source>由主管部门限定整改期限</source>
      <translation>Deadline set by the authority</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="471" />
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="473" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="483" />
      <source>认定依据</source>
      <translation>Basis</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="484" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="492" />
      <source>整改期限按规定为认定之日起 {n} 个月，自动计算。</source>
      <translation>The rectification deadline is {n} months from the finding, computed automatically.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="495" />
      <source>属淘汰类，不设整改期限，须拆除主体设备。</source>
      <translation>Listed for elimination: no rectification period; the main equipment must be dismantled.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="497" />
      <source>整改期限由主管部门限定（可不填）。</source>
      <translation>The authority sets the rectification deadline (optional).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="507" />
      <source>请先为该企业添加设备</source>
      <translation>Add equipment to this enterprise first</translation>
    </message>
  </context>
  <context>
    <name>FirstRunWizard</name>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="296" />
      <source>首次使用设置 — 落后产能退出现场核查</source>
      <translation>First-time set-up — Capacity Exit Field Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="299" />
      <source>下一步 &gt;</source>
      <translation>Next &gt;</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="300" />
      <source>&lt; 上一步</source>
      <translation>&lt; Back</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="301" />
      <source>完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="302" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>IdentityBox</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="284" />
      <source>签名身份</source>
      <translation>Signing identity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="285" />
      <source>创建签名身份…</source>
      <translation>Create signing identity…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="286" />
      <source>在本机生成签名密钥（签发验收意见需要）</source>
      <translation>Create a signing key on this computer (needed to issue opinions)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="287" />
      <source>导出证书申请…</source>
      <translation>Export certificate request…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="288" />
      <source>导出申请文件，交市办公室签发证书</source>
      <translation>Export a request file for the city office to issue a certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="289" />
      <source>导入证书…</source>
      <translation>Import certificate…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="290" />
      <source>装入市办公室签发的证书</source>
      <translation>Load the certificate issued by the city office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="312" />
      <source>本机尚未创建签名身份：签发验收意见前请先创建，再导出证书申请交市办公室签发。</source>
      <translation>This computer has no signing identity yet: create one before issuing opinions, then export a certificate request for the city office.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="315" />
      <source>自签名（尚未由市办公室签发：请导出证书申请）</source>
      <translation>Self-signed (not yet issued by the city office: export a certificate request)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="316" />
      <source>由 {issuer} 签发</source>
      <translation>Issued by {issuer}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="318" />
      <source>签名人：{name}（{org}）</source>
      <translation>Signer: {name} ({org})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="319" />
      <source>证书：{kind}</source>
      <translation>Certificate: {kind}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="320" />
      <source>有效期：{start} 至 {end}</source>
      <translation>Valid: {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="322" />
      <source>（已失效）</source>
      <translation> (expired)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="323" />
      <source>密钥指纹：{fp}</source>
      <translation>Key fingerprint: {fp}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="351" />
      <source>已创建签名身份。下一步：导出证书申请，交市办公室签发证书。</source>
      <translation>Signing identity created. Next: export a certificate request for the city office.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="355" />
      <source>证书申请已导出：{path}</source>
      <translation>Certificate request exported: {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="359" />
      <source>已导入证书：由 {issuer} 签发。</source>
      <translation>Certificate imported: issued by {issuer}.</translation>
    </message>
  </context>
  <context>
    <name>IdentityDialog</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="85" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>IdentityForm</name>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="60" />
      <source>签名人姓名</source>
      <translation>Signer's name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="60" />
      <source>所在单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="60" />
      <source>签名口令</source>
      <translation>Signing passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="60" />
      <source>再次输入口令</source>
      <translation>Passphrase again</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="65" />
      <source>口令保护本机的签名密钥，每次签署验收意见和同步包时都要输入。请牢记：忘记口令只能重新申请证书。</source>
      <translation>The passphrase protects this device's signing key; you type it whenever you sign an opinion or a sync bundle. Remember it: a forgotten passphrase means applying for a new certificate.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="98" />
      <source>请填写签名人姓名</source>
      <translation>Enter the signer's name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="99" />
      <source>请填写签名人所在单位</source>
      <translation>Enter the signer's organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="100" />
      <source>请设置签名口令</source>
      <translation>Set a signing passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="101" />
      <source>签名口令至少 {n} 个字符</source>
      <translation>The signing passphrase needs at least {n} characters</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_form.py" line="102" />
      <source>两次输入的口令不一致</source>
      <translation>The two passphrases differ</translation>
    </message>
  </context>
  <context>
    <name>IdentityPage</name>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="166" />
      <source>签名身份</source>
      <translation>Signing identity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="167" />
      <source>本机的签名密钥和证书：用于签署验收意见和同步包。</source>
      <translation>This device's signing key and certificate: they sign acceptance opinions and sync bundles.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="168" />
      <source>以后再创建（创建之前不能出具验收意见）</source>
      <translation>Create it later (no opinion can be issued until then)</translation>
    </message>
  </context>
  <context>
    <name>ImportCertificateDialog</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="85" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="216" />
      <source>导入市办公室签发的证书</source>
      <translation>Import the certificate issued by the city office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="217" />
      <source>选择市办公室签发给本机的证书文件；同时提供办公室的 CA 证书，其他设备就能核验本机签发的意见。</source>
      <translation>Choose the certificate file the city office issued for this computer; with the office's CA certificate too, other devices can verify the opinions signed here.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="219" />
      <source>选择本机证书</source>
      <translation>Choose this device's certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="220" />
      <location filename="../../inspect_app/ui/identity_box.py" line="224" />
      <source>本机证书</source>
      <translation>Device certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="221" />
      <source>选择 CA 证书</source>
      <translation>Choose the CA certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="222" />
      <location filename="../../inspect_app/ui/identity_box.py" line="225" />
      <source>CA 证书（可选）</source>
      <translation>CA certificate (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="223" />
      <location filename="../../inspect_app/ui/identity_box.py" line="226" />
      <source>私钥口令</source>
      <translation>Key passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="227" />
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="233" />
      <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
      <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="238" />
      <source>请选择本机证书文件</source>
      <translation>Choose the device certificate file</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="240" />
      <source>请输入私钥口令</source>
      <translation>Enter the key passphrase</translation>
    </message>
  </context>
  <context>
    <name>InspectionWorkflow</name>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="495" />
      <source>1 人员与到场</source>
      <translation>1 Team &amp; arrival</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="495" />
      <source>2 核查清单</source>
      <translation>2 Checklist</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="495" />
      <source>3 影像资料</source>
      <translation>3 Photo evidence</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="496" />
      <source>4 验收意见</source>
      <translation>4 Acceptance opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="498" />
      <source>转到“{step}”</source>
      <translation>Go to “{step}”</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="499" />
      <source>上一步</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="500" />
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="501" />
      <location filename="../../inspect_app/ui/inspections.py" line="648" />
      <location filename="../../inspect_app/ui/inspections.py" line="651" />
      <source>完成核查</source>
      <translation>Finish inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="502" />
      <source>完成后核查记录不能再修改</source>
      <translation>A finished inspection can no longer be changed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="503" />
      <source>重新打开核查…</source>
      <translation>Reopen inspection…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="504" />
      <source>更正已完成的核查：写明原因后可修改记录和影像资料，再签发更正意见</source>
      <translation>Correct a finished inspection: with the reason given, the record and the photos can be changed, then a superseding opinion issued</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="518" />
      <source>{enterprise} — {equipment}</source>
      <translation>{enterprise} — {equipment}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="565" />
      <location filename="../../inspect_app/ui/inspections.py" line="619" />
      <source>核查已完成，记录不能再修改</source>
      <translation>Inspection finished; the record is locked</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="565" />
      <source>草稿自动保存</source>
      <translation>Drafts save automatically</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="586" />
      <source>有未保存的修改…</source>
      <translation>Unsaved changes…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="626" />
      <source>草稿已保存 {time}</source>
      <translation>Draft saved {time}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="649" />
      <source>完成后核查记录将锁定，不能再修改。确定完成核查吗？</source>
      <translation>The inspection record will be locked and can no longer be changed. Finish the inspection?</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="652" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="660" />
      <source>重新打开核查</source>
      <translation>Reopen inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="661" />
      <source>重新打开后可修改核查记录和影像资料；已签发的验收意见保持不变，修改后再签发一份更正意见替代它。原因记入操作记录。</source>
      <translation>Once reopened, the record and the photos can be changed; an opinion already issued stays as it is — after the changes, issue a superseding opinion. The reason goes into the audit trail.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="663" />
      <source>重新打开</source>
      <translation>Reopen</translation>
    </message>
  </context>
  <context>
    <name>InspectionsPage</name>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="738" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="739" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="740" />
      <source>计划日期</source>
      <translation>Planned on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="741" />
      <source>核查日期</source>
      <translation>Visited on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="742" />
      <source>设备数</source>
      <translation>Items</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="811" />
      <source>◀ 隐藏列表</source>
      <translation>◀ Hide list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="811" />
      <source>▶ 显示列表</source>
      <translation>▶ Show list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="812" />
      <source>收起核查列表，让现场记录占满宽度</source>
      <translation>Collapse the inspection list so the on-site record takes the full width</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="813" />
      <source>展开核查列表</source>
      <translation>Show the inspection list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="816" />
      <location filename="../../inspect_app/ui/inspections.py" line="827" />
      <source>已安排</source>
      <translation>Planned</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="816" />
      <location filename="../../inspect_app/ui/inspections.py" line="827" />
      <source>草稿</source>
      <translation>Draft</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="816" />
      <location filename="../../inspect_app/ui/inspections.py" line="828" />
      <source>已完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="819" />
      <source>现场核查</source>
      <translation>Site inspections</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="821" />
      <source>安排核查</source>
      <translation>Plan inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="822" />
      <source>为一家企业的一台或多台设备安排现场核查</source>
      <translation>Plan a site visit for one or more equipment items of an enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="823" />
      <source>在左侧选择一次核查开始现场记录；没有核查时点击“安排核查”。</source>
      <translation>Pick an inspection on the left to record the site visit; if there is none, click “Plan inspection”.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="827" />
      <source>全部核查</source>
      <translation>All inspections</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="832" />
      <source>按状态筛选核查</source>
      <translation>Filter inspections by status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="833" />
      <source>核查列表</source>
      <translation>Inspection list</translation>
    </message>
  </context>
  <context>
    <name>LiftCardDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="580" />
      <source>撤销{card}</source>
      <translation>Lift {card}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="581" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="584" />
      <source>撤销日期</source>
      <translation>Lifted on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="583" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="585" />
      <source>撤销理由</source>
      <translation>Reason for lifting</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="586" />
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="47" />
      <location filename="../../inspect_app/ui/main_window.py" line="145" />
      <source>验收意见</source>
      <translation>Opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="47" />
      <source>这里将列出书面验收意见：按核查结果生成验收意见（PDF，符合 GB/T 9704 版式），验收组签字、本机证书签章，并可查看、作废和更正已出具的意见。</source>
      <translation>Written acceptance opinions will be listed here: drafted from the inspection (PDF in the GB/T 9704 layout), signed by the team and sealed with this device's certificate; issued opinions can be viewed, withdrawn and corrected.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="144" />
      <location filename="../../inspect_app/ui/main_window.py" line="265" />
      <source>落后产能退出现场核查</source>
      <translation>Capacity Exit Field Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="145" />
      <source>工作台</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="145" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="145" />
      <source>核查</source>
      <translation>Inspections</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="145" />
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="146" />
      <source>报表</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="146" />
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="150" />
      <source>{page}（Ctrl+{n}）</source>
      <translation>{page} (Ctrl+{n})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="151" />
      <source>导航</source>
      <translation>Navigation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="153" />
      <source>数据目录：{path}    本机：{device}</source>
      <translation>Data: {path}    Device: {device}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="154" />
      <source>未登记</source>
      <translation>not registered</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="166" />
      <source>角色：市办公室</source>
      <translation>Role: city office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="166" />
      <source>角色：核查人员</source>
      <translation>Role: inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="248" />
      <source>尚未备份</source>
      <translation>Never backed up</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="249" />
      <source>已 {days} 天未备份</source>
      <translation>No backup for {days} days</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="250" />
      <source>立即备份</source>
      <translation>Back up now</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="251" />
      <source>超过 {days} 天未备份时提醒</source>
      <translation>Reminds you after {days} days without a backup</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="273" />
      <source>设置完成。</source>
      <translation>Set-up complete.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="275" />
      <source>签名身份：{name}，指纹 {fingerprint}</source>
      <translation>Signing identity: {name}, fingerprint {fingerprint}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="278" />
      <source>已信任市办公室 CA 证书。</source>
      <translation>The city office's CA certificate is trusted.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="280" />
      <source>证书申请已保存到 {path}，请带到市办公室签发证书。</source>
      <translation>The certificate request is saved in {path}; take it to the city office for signing.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/main_window.py" line="284" />
      <source>正在处理…</source>
      <translation>Working…</translation>
    </message>
  </context>
  <context>
    <name>MaintenancePanel</name>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="180" />
      <source>数据维护</source>
      <translation>Data care</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="181" />
      <source>备份…</source>
      <translation>Back up…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="182" />
      <source>把数据库、照片与文件、签名身份写成一个经过核对的备份文件（如存到 U 盘）</source>
      <translation>Write the database, photos and files and the signing identity into one checked backup file (e.g. on a USB stick)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="183" />
      <source>从备份恢复…</source>
      <translation>Restore from backup…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="184" />
      <source>先逐一核对备份文件；现有数据移到 restore-kept 文件夹保留，不会被覆盖</source>
      <translation>Checks every file of the backup first; the current data is moved to the restore-kept folder, never overwritten</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="185" />
      <source>健康检查</source>
      <translation>Health check</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="186" />
      <source>检查数据库、每个证据文件的哈希、审计链、剩余空间和数据目录的位置</source>
      <translation>Checks the database, every evidence file's hash, the audit trail, free space and where the data folder lives</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="187" />
      <source>备份文件请存到数据目录以外（U 盘或其他磁盘）。</source>
      <translation>Keep backups outside the data folder (a USB stick or another disk).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="212" />
      <source>PostgreSQL 数据库请由管理员用 pg_dump 备份。</source>
      <translation>A PostgreSQL database is backed up by its administrator with pg_dump.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="216" />
      <source>尚未备份。</source>
      <translation>Never backed up.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="218" />
      <source>上次备份：{when}（北京时间，{days} 天前）</source>
      <translation>Last backup: {when} (Beijing time, {days} days ago)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="228" />
      <source>保存备份</source>
      <translation>Save backup</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="229" />
      <source>备份文件 (*.inspect-backup)</source>
      <translation>Backup files (*.inspect-backup)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="239" />
      <source>正在备份…</source>
      <translation>Backing up…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="245" />
      <source>备份完成</source>
      <translation>Backup complete</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="246" />
      <source>已备份到 {path}（{size}，{n} 个文件，已逐一核对）。</source>
      <translation>Backed up to {path} ({size}, {n} files, each checked).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="255" />
      <source>选择备份文件</source>
      <translation>Choose a backup file</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="256" />
      <source>备份文件 (*.inspect-backup);;所有文件 (*)</source>
      <translation>Backup files (*.inspect-backup);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="266" />
      <source>正在核对并展开备份…</source>
      <translation>Checking and unpacking the backup…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="270" />
      <source>备份时间：{when}（北京时间）
企业 {e} 家，核查 {i} 次，照片 {p} 张，验收意见 {o} 份

备份已核对无误。恢复后程序将重新打开；现有数据会移到数据目录下的 restore-kept 文件夹保留。

现在恢复吗？</source>
      <translation>Backup made: {when} (Beijing time)
{e} enterprises, {i} inspections, {p} photos, {o} opinions

The backup passed every check. After the restore the program opens again; the current data is moved to the restore-kept folder in the data folder and kept.

Restore now?</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="277" />
      <source>从备份恢复</source>
      <translation>Restore from backup</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="281" />
      <source>恢复</source>
      <translation>Restore</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="299" />
      <source>正在检查…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="317" />
      <source>已移到隔离文件夹</source>
      <translation>Moved to the quarantine folder</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/maintenance.py" line="322" />
      <source>正在移动…</source>
      <translation>Moving…</translation>
    </message>
  </context>
  <context>
    <name>NewEnterpriseDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="242" />
      <source>新增企业</source>
      <translation>New enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="244" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="273" />
      <source>企业名称</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="247" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="275" />
      <source>所属区域</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="249" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="278" />
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="251" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="282" />
      <source>联系人</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="253" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="283" />
      <source>联系电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="256" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="277" />
      <source>成立日期</source>
      <translation>Established on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="257" />
      <source>如 2003-05-18（可不填）</source>
      <translation>e.g. 2003-05-18 (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="260" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="276" />
      <source>主要行业</source>
      <translation>Main sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="261" />
      <source>（未指定）</source>
      <translation>(not set)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="265" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="279" />
      <source>纬度</source>
      <translation>Latitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="266" />
      <source>如 34.7466（厂址位置，照片按此核对距离）</source>
      <translation>e.g. 34.7466 (the site's position; photos are checked against it)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="268" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="280" />
      <source>经度</source>
      <translation>Longitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="269" />
      <source>如 113.6254</source>
      <translation>e.g. 113.6254</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="270" />
      <source>不知道坐标时可先留空，之后在企业基本信息中补填；补填后照片的距离会重新核对。</source>
      <translation>If the position is not known yet, leave it empty and add it later under Basic information; photo distances are checked again then.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="274" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="284" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="301" />
      <source>经纬度须为数字</source>
      <translation>Latitude and longitude must be numbers</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="303" />
      <source>经度和纬度须同时填写</source>
      <translation>Enter both latitude and longitude</translation>
    </message>
  </context>
  <context>
    <name>OfficePage</name>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="210" />
      <source>市办公室证书</source>
      <translation>City office certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="211" />
      <source>两项都可以以后再做（设置页和命令行 identity trust / export-request）。</source>
      <translation>Both can be done later (in Settings, or identity trust / export-request on the command line).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="212" />
      <location filename="../../inspect_app/ui/first_run.py" line="215" />
      <source>办公室 CA 证书</source>
      <translation>Office CA certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="213" />
      <source>保存到</source>
      <translation>Save to</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="214" />
      <source>市办公室提供的 .pem 文件（可不填）</source>
      <translation>The .pem file from the city office (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="216" />
      <source>证书申请文件</source>
      <translation>Certificate request file</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="217" />
      <location filename="../../inspect_app/ui/first_run.py" line="218" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="219" />
      <source>保存证书申请文件，带到市办公室签发证书</source>
      <translation>Save a certificate request to take to the city office for signing</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="220" />
      <source>办公室签发证书后，在设置页或用 identity import-cert 导入。</source>
      <translation>Once the office has issued the certificate, import it in Settings or with identity import-cert.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="233" />
      <source>选择市办公室 CA 证书</source>
      <translation>Choose the city office's CA certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="234" />
      <source>证书 (*.pem *.crt *.cer)</source>
      <translation>Certificates (*.pem *.crt *.cer)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="239" />
      <source>保存证书申请</source>
      <translation>Save certificate request</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="240" />
      <source>证书申请 (*.pem)</source>
      <translation>Certificate requests (*.pem)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="258" />
      <source>无法读取证书文件</source>
      <translation>The certificate file cannot be read</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="260" />
      <source>所选文件不是 CA 证书（需要市办公室的 CA 证书，PEM 格式）</source>
      <translation>This file is not a CA certificate (the city office's CA certificate in PEM format is needed)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="263" />
      <source>证书申请文件已存在，不会覆盖：请换一个文件名</source>
      <translation>The certificate request file exists and is not overwritten: choose another name</translation>
    </message>
  </context>
  <context>
    <name>OpDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="97" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>OpHandle</name>
    <message>
      <location filename="../../inspect_app/ui/tasks.py" line="131" />
      <source>请稍候</source>
      <translation>Please wait</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/tasks.py" line="132" />
      <source>正在处理…</source>
      <translation>Working…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/tasks.py" line="133" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>OpinionPage</name>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="512" />
      <source>书面验收意见</source>
      <translation>Written acceptance opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="514" />
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="514" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="514" />
      <source>设备及产能</source>
      <translation>Equipment and capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="514" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="515" />
      <source>核查时间地点</source>
      <translation>Time and place</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="515" />
      <source>核查清单</source>
      <translation>Checklist</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="517" />
      <source>核查概况</source>
      <translation>Inspection summary</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="518" />
      <source>验收结论</source>
      <translation>Conclusion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="519" />
      <source>通过</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="519" />
      <source>不予通过</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="520" />
      <source>限期整改后复验</source>
      <translation>Rectify, then re-inspect</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="523" />
      <source>意见正文（印在结论部分，可修改）</source>
      <translation>Opinion text (editable)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="524" />
      <source>恢复标准文本</source>
      <translation>Restore standard text</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="525" />
      <source>按所选结论重新生成标准文本（会覆盖已修改的内容）</source>
      <translation>Regenerate the standard text for the chosen conclusion (overwrites your edits)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="526" />
      <source>验收组签名</source>
      <translation>Acceptance team signatures</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="527" />
      <source>本次核查未填写验收组成员，请在“验收组”步骤中填写。</source>
      <translation>No acceptance team members are recorded for this inspection; add them in the “Team” step.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="528" />
      <source>企业代表</source>
      <translation>Enterprise representative</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="529" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="530" />
      <source>职务</source>
      <translation>Title</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="531" />
      <source>企业代表姓名</source>
      <translation>Representative's name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="532" />
      <source>如：总经理</source>
      <translation>e.g. General Manager</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="533" />
      <source>企业代表签字并确认无异议</source>
      <translation>The representative signed and has no objection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="534" />
      <source>企业意见（未确认无异议时印出；不填则留空线）</source>
      <translation>The enterprise's opinion (printed unless it has no objection; a blank line when empty)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="535" />
      <location filename="../../inspect_app/ui/opinion_page.py" line="1128" />
      <location filename="../../inspect_app/ui/opinion_page.py" line="1134" />
      <location filename="../../inspect_app/ui/opinion_page.py" line="1142" />
      <source>未签</source>
      <translation>Did not sign</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="536" />
      <source>企业代表未签原因（如：拒绝签字）</source>
      <translation>Why the representative did not sign (e.g. refused)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="537" />
      <source>理由（每行一条，写明哪些核查项目、哪些方面不符合要求；未达要求的核查项目自动列入）</source>
      <translation>Reasons (one a line: which checklist items and aspects fall short; checklist items still lacking are listed by themselves)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="538" />
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="539" />
      <source>限时拆除期限</source>
      <translation>Dismantle by</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="540" />
      <source>疑点说明</source>
      <translation>Flag explanation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="541" />
      <source>照片存在未说明的疑点（时间、位置、重复等）时，须在此写明理由后方可签发；理由将记入验收意见和审计记录。</source>
      <translation>If photos have unexplained flags (time, position, duplicates …), state the reason here before issuing; it is recorded in the opinion and the audit log.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="543" />
      <source>例如：拆除前照片由企业提供，已与现场核对一致</source>
      <translation>e.g. the before-dismantling photos were supplied by the enterprise and checked against the site</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="544" />
      <source>签发条件</source>
      <translation>Before issuing</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="545" />
      <location filename="../../inspect_app/ui/opinion_page.py" line="1214" />
      <source>签发并签名…</source>
      <translation>Issue and sign…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="546" />
      <source>查看并核验…</source>
      <translation>View and verify…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="547" />
      <source>在“验收意见”页打开本次核查已签发的意见：打开 PDF、核验签名与影像证据</source>
      <translation>Show the opinion issued for this inspection on the Opinions page: open the PDF, verify the signature and the photo evidence</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="556" />
      <source>已签发的验收意见 {number}</source>
      <translation>Issued opinion {number}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="558" />
      <source>预览（未签发，随填写内容更新）</source>
      <translation>Preview (not issued; follows your edits)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="774" />
      <source>本次核查已签发验收意见 {number}（{conclusion}），{date}。</source>
      <translation>This inspection's acceptance opinion {number} ({conclusion}) was issued on {date}.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="776" />
      <source>影像资料已锁定。如需更正：先“重新打开核查”（写明原因），修改后再签发更正意见。</source>
      <translation>The photo evidence is locked. To correct it: “Reopen inspection” first (with the reason), make the changes, then issue a superseding opinion.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="785" />
      <source>读取失败：{error}</source>
      <translation>Loading failed: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="922" />
      <source>无法生成预览：{error}</source>
      <translation>Cannot build the preview: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1003" />
      <source>{equipment} 以封存方式退出：意见书写明企业须在此日期前拆除主体设备</source>
      <translation>{equipment} exits by sealing: the opinion orders the enterprise to dismantle it by this date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1049" />
      <source>正在读取…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1049" />
      <source>未选择核查</source>
      <translation>No inspection selected</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1059" />
      <source>（本次核查未涉及设备）</source>
      <translation>(no equipment in this inspection)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1061" />
      <source>、</source>
      <translation>, </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1061" />
      <source>未制定退出计划</source>
      <translation>No exit plan</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1063" />
      <source>尚未核查</source>
      <translation>Not yet inspected</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1065" />
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1065" />
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1065" />
      <source>不适用</source>
      <translation>N/A</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1065" />
      <source>未核查</source>
      <translation>Not checked</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1076" />
      <source>（无核查项）</source>
      <translation>(no checklist items)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1077" />
      <source>核查尚未开始</source>
      <translation>Inspection not started</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1077" />
      <source>核查尚未完成</source>
      <translation>Inspection not finished</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1077" />
      <source>核查已完成</source>
      <translation>Inspection finished</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1078" />
      <source>核查已取消</source>
      <translation>Inspection cancelled</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1124" />
      <source>未签名</source>
      <translation>Not signed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1124" />
      <source>签名</source>
      <translation>Sign</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1124" />
      <source>重签</source>
      <translation>Re-sign</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1130" />
      <source>请 {name} 手写签名</source>
      <translation>Ask {name} to sign by hand</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1135" />
      <source>{name} 不手写签名：意见书的签字栏印“未签”及原因</source>
      <translation>{name} does not sign by hand: the opinion prints “did not sign” (in Chinese) and the reason in the signature cell</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1139" />
      <source>未签原因（如：出差未到场）</source>
      <translation>Why not signed (e.g. away on duty)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1154" />
      <source>验收组成员“{name}”未签：请写明原因</source>
      <translation>Team member “{name}” did not sign: give the reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1156" />
      <source>验收组成员“{name}”尚未签名</source>
      <translation>Team member “{name}” has not signed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1160" />
      <source>企业代表“{name}”未签：请写明原因</source>
      <translation>Enterprise representative “{name}” did not sign: give the reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1162" />
      <source>企业代表“{name}”尚未签名</source>
      <translation>Enterprise representative “{name}” has not signed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1164" />
      <source>意见正文为空</source>
      <translation>The opinion text is empty</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1167" />
      <source>“{conclusion}”须写明理由</source>
      <translation>“{conclusion}” needs its reasons</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1170" />
      <source>整改期限应晚于今天</source>
      <translation>The recheck deadline must be after today</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1173" />
      <source>限时拆除期限应晚于今天</source>
      <translation>The dismantling deadline must be after today</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1193" />
      <source>正在检查…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1196" />
      <source>✓ 已签发 {number}</source>
      <translation>✓ Issued {number}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1199" />
      <source>以下 {n} 项须先解决：</source>
      <translation>Resolve these {n} item(s) first:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1202" />
      <source>✓ 已满足签发条件</source>
      <translation>✓ Ready to issue</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1214" />
      <source>已签发</source>
      <translation>Issued</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1217" />
      <source>本次核查已签发验收意见；如需更正请先重新打开核查</source>
      <translation>This inspection's opinion has been issued; to correct it, reopen the inspection first</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1219" />
      <source>输入证书口令并选择保存位置，生成签名的验收意见 PDF</source>
      <translation>Enter the certificate passphrase and choose where to save; creates the signed acceptance opinion PDF</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1221" />
      <source>正在签发…</source>
      <translation>Issuing…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1223" />
      <source>请先解决“签发条件”中列出的问题</source>
      <translation>Resolve the problems listed under “Before issuing” first</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1292" />
      <source>验收意见</source>
      <translation>Opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1295" />
      <source>{enterprise}_验收意见_{date}.pdf</source>
      <translation>{enterprise}_acceptance-opinion_{date}.pdf</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1299" />
      <source>签发验收意见</source>
      <translation>Issue acceptance opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1299" />
      <source>请输入本机签名证书的口令：</source>
      <translation>Passphrase of this device's signing certificate:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1305" />
      <source>保存签名的验收意见</source>
      <translation>Save the signed acceptance opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1306" />
      <source>PDF 文件 (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1348" />
      <location filename="../../inspect_app/ui/opinion_page.py" line="1386" />
      <source>正在生成并签名验收意见…</source>
      <translation>Generating and signing the acceptance opinion…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1363" />
      <source>已签发验收意见 {number}（{conclusion}）</source>
      <translation>Issued acceptance opinion {number} ({conclusion})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1366" />
      <source>文件：</source>
      <translation>File: </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_page.py" line="1389" />
      <source>签发失败</source>
      <translation>Issuing failed</translation>
    </message>
  </context>
  <context>
    <name>OpinionPreview</name>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="197" />
      <source>放大查看</source>
      <translation>Enlarge</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="198" />
      <source>在大窗口中查看预览，便于阅读</source>
      <translation>Show the preview in a large window, easier to read</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="199" />
      <source>适应宽度</source>
      <translation>Fit width</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="200" />
      <source>按窗口宽度显示页面（Ctrl+滚轮缩放）</source>
      <translation>Fit the page to the window width (Ctrl+wheel to zoom)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="201" />
      <source>放大</source>
      <translation>Zoom in</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="202" />
      <source>缩小</source>
      <translation>Zoom out</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="220" />
      <source>共 {n} 页</source>
      <translation>{n} page(s)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="222" />
      <source>（显示前 {n} 页）</source>
      <translation>(first {n} pages shown)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="235" />
      <source>正在更新…</source>
      <translation>Updating…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="239" />
      <source>正在生成预览…</source>
      <translation>Building the preview…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="240" />
      <source>暂无预览</source>
      <translation>No preview</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="359" />
      <source>预览文件没有页面</source>
      <translation>The preview has no pages</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="397" />
      <source>无法显示预览：文件不是有效的 PDF 或已损坏（{error}）</source>
      <translation>Cannot show the preview: the file is not a valid PDF or is damaged ({error})</translation>
    </message>
  </context>
  <context>
    <name>OpinionTableModel</name>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="102" />
      <source>已被更正替代</source>
      <translation>Superseded</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="102" />
      <source>有效</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="117" />
      <source>已被 {number} 更正替代</source>
      <translation>Superseded by correction {number}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="131" />
      <source>文号</source>
      <translation>Number</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="131" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="131" />
      <source>结论</source>
      <translation>Conclusion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="131" />
      <source>签发日期</source>
      <translation>Issued on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="131" />
      <source>签发人</source>
      <translation>Issued by</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="132" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
  </context>
  <context>
    <name>OpinionsPage</name>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="252" />
      <source>验收意见</source>
      <translation>Opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="253" />
      <source>搜索文号、企业、签发人…</source>
      <translation>Search number, enterprise, issuer…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="254" />
      <source>核验外部文件…</source>
      <translation>Verify a file…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="255" />
      <source>选择任意验收意见 PDF，核验签名、完整性及与本机登记的一致性</source>
      <translation>Pick any acceptance opinion PDF to verify its signature, integrity and match with this device's register</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="256" />
      <source>详情</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="257" />
      <source>文号</source>
      <translation>Number</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="257" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="257" />
      <source>结论</source>
      <translation>Conclusion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="258" />
      <source>签发日期</source>
      <translation>Issued on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="258" />
      <source>签发人</source>
      <translation>Issued by</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="258" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="259" />
      <source>验收组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="259" />
      <source>影像证据</source>
      <translation>Photo evidence</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="259" />
      <source>PDF SHA-256</source>
      <translation>PDF SHA-256</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="260" />
      <source>疑点说明</source>
      <translation>Flag explanation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="260" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="263" />
      <source>打开 PDF</source>
      <translation>Open PDF</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="264" />
      <source>另存为…</source>
      <translation>Save as…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="265" />
      <source>核验…</source>
      <translation>Verify…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="266" />
      <source>核验本机保存的签名文件：签名、完整性、二维码、影像证据与登记记录</source>
      <translation>Verify the signed file stored on this device: signature, integrity, QR code, photo evidence and register entry</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="282" />
      <source>正在读取…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="284" />
      <source>尚未出具验收意见。

在「核查」中完成核查后，于第 4 步出具验收意见；签发的意见会列在这里，可打开、另存和核验。</source>
      <translation>No acceptance opinions yet.

Finish an inspection under “Inspections”, then issue the opinion in step 4; issued opinions are listed here and can be opened, saved and verified.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="321" />
      <source>读取验收意见失败：{error}</source>
      <translation>Loading the acceptance opinions failed: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="393" />
      <source>在左侧选择一份验收意见查看详情。</source>
      <translation>Select an acceptance opinion on the left to see its details.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="398" />
      <source>（未记录）</source>
      <translation>(not recorded)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="401" />
      <source>企业代表：{name}</source>
      <translation>Enterprise representative: {name}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="403" />
      <source>已被 {number} 更正替代</source>
      <translation>Superseded by correction {number}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="405" />
      <source>有效（更正 {number}）</source>
      <translation>Valid (corrects {number})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="407" />
      <source>有效</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="413" />
      <source>证书</source>
      <translation>certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="414" />
      <source>（无）</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="416" />
      <source>{n} 张照片</source>
      <translation>{n} photo(s)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="418" />
      <source>无</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="447" />
      <location filename="../../inspect_app/ui/opinions_page.py" line="480" />
      <source>本机没有保存该意见的文件</source>
      <translation>This device has no file for this opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="457" />
      <source>文书存储中找不到该意见的文件：{path}</source>
      <translation>The opinion's file is missing from the document store: {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="460" />
      <source>无法打开 PDF（未找到可用的 PDF 阅读器）：{path}</source>
      <translation>Cannot open the PDF (no PDF viewer found): {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="466" />
      <source>另存验收意见</source>
      <translation>Save acceptance opinion as</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="467" />
      <location filename="../../inspect_app/ui/opinions_page.py" line="521" />
      <source>PDF 文件 (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="499" />
      <source>已另存为 {path}</source>
      <translation>Saved as {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="505" />
      <source>另存失败：{error}</source>
      <translation>Save failed: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="509" />
      <source>正在保存…</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="520" />
      <source>选择要核验的验收意见</source>
      <translation>Choose the acceptance opinion to verify</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="534" />
      <source>正在核验 {name}…</source>
      <translation>Verifying {name}…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="555" />
      <source>无法核验 {name}：{error}</source>
      <translation>Cannot verify {name}: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="559" />
      <source>正在核验…</source>
      <translation>Verifying…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/opinions_page.py" line="571" />
      <source>文件：</source>
      <translation>File: </translation>
    </message>
  </context>
  <context>
    <name>PathField</name>
    <message>
      <location filename="../../inspect_app/ui/identity_box.py" line="51" />
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
  </context>
  <context>
    <name>PhotoEvidenceWidget</name>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="895" />
      <source>设备：</source>
      <translation>Equipment:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="896" />
      <source>采用为厂址位置</source>
      <translation>Use as site position</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="897" />
      <source>把这张照片的拍摄位置设为企业厂址；之后可在企业基本信息中修改</source>
      <translation>Set the enterprise's site to where this photo was taken; it can be changed later under Basic information</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="899" />
      <source>可把照片或文件夹拖到对应阶段；在阶段之间拖动照片可调整阶段；双击查看大图。</source>
      <translation>Drop photos or folders on a stage; drag photos between stages to move them; double-click to enlarge.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="901" />
      <source>导入照片…</source>
      <translation>Import photos…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="905" />
      <source>选择照片文件…</source>
      <translation>Choose photo files…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="906" />
      <source>选择文件夹…</source>
      <translation>Choose a folder…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="945" />
      <source>全部设备</source>
      <translation>All equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="965" />
      <source>企业“{name}”尚无厂址坐标，照片距离无法核对。首张现场照片“{photo}”的位置为 {lat:.6f}, {lon:.6f}，确认是厂址位置吗？</source>
      <translation>“{name}” has no site position yet, so photo distances cannot be checked. The first on-site photo “{photo}” was taken at {lat:.6f}, {lon:.6f} — is that the site?</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="983" />
      <source>已采用为厂址位置，照片距离已重新核对</source>
      <translation>Set as the site position; photo distances were checked again</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1008" />
      <source>{stage}（{n} 张）</source>
      <translation>{stage} ({n})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1010" />
      <source> · 缺照片</source>
      <translation> · photos missing</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1023" />
      <source>；</source>
      <translation>; </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1025" />
      <source>影像资料齐全（{n} 张）</source>
      <translation>Photo evidence complete ({n} photos)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1029" />
      <source>&lt;b&gt;缺少照片&lt;/b&gt;：{gaps}</source>
      <translation>&lt;b&gt;Photos missing&lt;/b&gt;: {gaps}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1032" />
      <source>另有 {n} 张照片未指定设备</source>
      <translation>{n} more photo(s) not assigned to equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1034" />
      <source>{flag} {n} 张</source>
      <translation>{flag}: {n} photos</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1035" />
      <source>存疑：{flags}</source>
      <translation>Doubts: {flags}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1043" />
      <source>选择{stage}照片</source>
      <translation>Choose {stage} photos</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1044" />
      <source>照片 (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.heic);;所有文件 (*)</source>
      <translation>Photos (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.heic);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1050" />
      <source>选择包含{stage}照片的文件夹</source>
      <translation>Choose a folder with {stage} photos</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1066" />
      <source>正在导入{stage}照片…</source>
      <translation>Importing {stage} photos…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1068" />
      <source>正在导入照片…</source>
      <translation>Importing photos…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1077" />
      <source>没有找到可导入的照片文件</source>
      <translation>No photo files found to import</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1079" />
      <source>导入 {a} 张，已存在 {b} 张，未导入 {c} 个文件</source>
      <translation>{a} imported, {b} already present, {c} file(s) not imported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1082" />
      <source>部分文件未导入</source>
      <translation>Some files were not imported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1083" />
      <source>以下 {n} 个文件未导入，其余照片已保存：</source>
      <translation>These {n} file(s) were not imported; the other photos were saved:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1095" />
      <source>导入已取消，已完成的照片已保存；再次导入同一批照片即可继续。</source>
      <translation>Import cancelled; photos already done are saved. Import the same photos again to continue.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1134" />
      <source>已将 {n} 张照片移到{stage}</source>
      <translation>Moved {n} photo(s) to {stage}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1162" />
      <source>查看大图</source>
      <translation>View large</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="1163" />
      <source>撤回此照片…</source>
      <translation>Withdraw this photo…</translation>
    </message>
  </context>
  <context>
    <name>PhotoViewer</name>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="424" />
      <source>适合窗口</source>
      <translation>Fit to window</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="427" />
      <source>缩小（-）</source>
      <translation>Zoom out (-)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="428" />
      <source>放大（+）</source>
      <translation>Zoom in (+)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="432" />
      <source>◀ 上一张</source>
      <translation>◀ Previous</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="433" />
      <source>上一张照片（←）</source>
      <translation>Previous photo (←)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="435" />
      <source>下一张 ▶</source>
      <translation>Next ▶</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="436" />
      <source>下一张照片（→）</source>
      <translation>Next photo (→)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="460" />
      <source>照片说明（印在验收意见中）</source>
      <translation>Caption (printed in the acceptance opinion)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="463" />
      <source>保存说明</source>
      <translation>Save caption</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="474" />
      <source>说明疑点…</source>
      <translation>Explain a doubt…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="477" />
      <source>在本照片的疑点上写明原因（严重疑点须逐张说明后才能通过验收；说明印在附件中该照片旁）</source>
      <translation>Record on this photo why a doubt does not stand in the way (a serious doubt blocks a pass until explained photo by photo; the explanation prints beside the photo in the attachment)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="482" />
      <source>说明：</source>
      <translation>Caption:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="486" />
      <source>撤回此照片…</source>
      <translation>Withdraw this photo…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="487" />
      <source>误导入的照片可在签发意见前撤回：写明原因，原文件保留，操作记入记录</source>
      <translation>A wrongly imported photo can be withdrawn before the opinion is issued: give the reason; the original file is kept and the action recorded</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="527" />
      <source>正在载入…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="529" />
      <source>照片：</source>
      <translation>Photo:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="541" />
      <source>SHA-256</source>
      <translation>SHA-256</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="558" />
      <source>无 GPS 位置</source>
      <translation>No GPS position</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="560" />
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="561" />
      <source>阶段</source>
      <translation>Stage</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="562" />
      <source>拍摄时间</source>
      <translation>Taken at</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="562" />
      <source>无（EXIF 中无记录）</source>
      <translation>None (not in EXIF)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="564" />
      <source>相机记录</source>
      <translation>Camera time</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="564" />
      <source>{time}（相机时钟原文，{tag}）</source>
      <translation>{time} (as the camera clock wrote it, {tag})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="566" />
      <source>文件修改时间</source>
      <translation>File modified</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="567" />
      <source>位置</source>
      <translation>Location</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="568" />
      <source>距企业厂址</source>
      <translation>Distance from site</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="568" />
      <source>无法计算</source>
      <translation>Cannot be computed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="569" />
      <source>相机</source>
      <translation>Camera</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="570" />
      <source>软件</source>
      <translation>Software</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="571" />
      <source>尺寸</source>
      <translation>Size</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="571" />
      <source>{width}×{height} {format}，{size}</source>
      <translation>{width}×{height} {format}, {size}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="573" />
      <source>导入</source>
      <translation>Imported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="573" />
      <source>{who}，{time}</source>
      <translation>{who}, {time}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="581" />
      <source>（已说明：{reason}，{who}）</source>
      <translation> (explained: {reason}, {who})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="583" />
      <source>（已说明：{reason}）</source>
      <translation> (explained: {reason})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="587" />
      <source>{time}（北京时间）</source>
      <translation>{time} (Beijing time, UTC+8)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="591" />
      <source>未发现疑点</source>
      <translation>No flags</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="596" />
      <source>存疑</source>
      <translation>Flagged</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="606" />
      <source>无法读取照片文件</source>
      <translation>Cannot read the photo file</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="676" />
      <source>撤回照片</source>
      <translation>Withdraw photo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="677" />
      <source>撤回“{name}”：照片不再作为本次核查的影像资料，原文件保留，撤回原因记入操作记录。</source>
      <translation>Withdraw “{name}”: the photo no longer counts as evidence of this inspection; the original file is kept and the reason recorded.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="678" />
      <source>撤回</source>
      <translation>Withdraw</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="701" />
      <source>已撤回“{name}”</source>
      <translation>Withdrew “{name}”</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="722" />
      <location filename="../../inspect_app/ui/photos.py" line="726" />
      <source>说明疑点</source>
      <translation>Explain a doubt</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="722" />
      <source>疑点：</source>
      <translation>Doubt:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="727" />
      <source>为何不影响验收：</source>
      <translation>Why it does not stand in the way of acceptance:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="743" />
      <source>疑点说明已保存</source>
      <translation>Explanation saved</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="764" />
      <source>说明已保存</source>
      <translation>Caption saved</translation>
    </message>
  </context>
  <context>
    <name>PlacePage</name>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="109" />
      <source>数据目录与角色</source>
      <translation>Data folder and role</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="110" />
      <source>数据库、照片和签名身份都保存在数据目录中。</source>
      <translation>The database, the photos and the signing identity are kept in the data folder.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="111" />
      <location filename="../../inspect_app/ui/first_run.py" line="114" />
      <source>数据目录</source>
      <translation>Data directory</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="112" />
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="113" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="115" />
      <source>核查人员（笔记本，现场核查）</source>
      <translation>Inspector (laptop, on-site inspections)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="116" />
      <source>市办公室（汇总各核查人员的数据，签发证书）</source>
      <translation>City office (collects the inspectors' data, issues certificates)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="117" />
      <source>角色决定同步时本机发送和接收什么；以后可在命令行用 settings set role 更改。</source>
      <translation>The role decides what this device sends and receives when syncing; change it later with settings set role on the command line.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="121" />
      <source>选择数据目录</source>
      <translation>Choose the data folder</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="135" />
      <source>此目录中已有数据，将直接打开。</source>
      <translation>This folder already holds data; it will be opened as it is.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="142" />
      <source>此目录在网络共享上：网络中断时数据库可能损坏。请选择本机磁盘上的目录。</source>
      <translation>This folder is on a network share: a network failure can damage the database. Choose a folder on this computer's disk.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="143" />
      <source>此目录在可移动磁盘上：拔出时数据库可能损坏。U 盘只用于备份和同步。</source>
      <translation>This folder is on a removable drive: unplugging it can damage the database. Use USB sticks only for backups and sync.</translation>
    </message>
  </context>
  <context>
    <name>PlanInspectionDialog</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="642" />
      <source>安排现场核查</source>
      <translation>Plan a site visit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="644" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="653" />
      <source>核查设备</source>
      <translation>Equipment to inspect</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="652" />
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="654" />
      <source>计划日期</source>
      <translation>Planned on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="655" />
      <source>安排</source>
      <translation>Plan</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="665" />
      <source>请至少选择一台设备</source>
      <translation>Choose at least one equipment item</translation>
    </message>
  </context>
  <context>
    <name>PreviewDialog</name>
    <message>
      <location filename="../../inspect_app/ui/opinion_preview.py" line="465" />
      <source>验收意见预览</source>
      <translation>Acceptance opinion preview</translation>
    </message>
  </context>
  <context>
    <name>ProfilePage</name>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="64" />
      <source>检查人员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="65" />
      <source>验收意见和同步包上署名的人员。</source>
      <translation>The person named on acceptance opinions and sync bundles.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="66" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="66" />
      <source>单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/first_run.py" line="66" />
      <source>职务（可不填）</source>
      <translation>Title (optional)</translation>
    </message>
  </context>
  <context>
    <name>QToolButton</name>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="383" />
      <source>拍照</source>
      <translation>Take photo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="385" />
      <source>未检测到摄像头，无法在程序内拍照；请用相机拍摄后导入</source>
      <translation>No camera detected, so photos cannot be taken in the app; take them with a camera and import them</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/capture.py" line="389" />
      <source>用本机摄像头拍摄{stage}照片</source>
      <translation>Take {stage} photos with this device's camera</translation>
    </message>
  </context>
  <context>
    <name>ReasonDialog</name>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="231" />
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="232" />
      <source>写明原因（记入操作记录）</source>
      <translation>The reason (recorded in the audit trail)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="239" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="256" />
      <source>原因不能超过 {limit} 字</source>
      <translation>The reason may not exceed {limit} characters</translation>
    </message>
  </context>
  <context>
    <name>RegisterDialog</name>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="229" />
      <source>登记设备</source>
      <translation>Register device</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="230" />
      <source>证书申请或证书</source>
      <translation>Certificate request or certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="231" />
      <location filename="../../inspect_app/ui/sync_page.py" line="236" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="232" />
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="233" />
      <source>核查人员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="234" />
      <source>市办公室</source>
      <translation>City office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="235" />
      <source>CA 文件夹（可选）</source>
      <translation>CA folder (optional)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="237" />
      <source>CA 口令</source>
      <translation>CA passphrase</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="238" />
      <source>从设备导出的证书申请（CSR）登记时，如选择市办公室 CA，将同时签发设备证书，并随下一个下发包送达该设备。</source>
      <translation>When you register from a device's certificate request (CSR) and choose the city office CA, the device's certificate is issued too and reaches the device with its next assignment bundle.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="243" />
      <source>选择证书申请或证书</source>
      <translation>Choose a certificate request or certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="244" />
      <source>证书文件 (*.pem *.csr *.crt);;所有文件 (*)</source>
      <translation>Certificate files (*.pem *.csr *.crt);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="249" />
      <source>选择市办公室 CA 文件夹</source>
      <translation>Choose the city office CA folder</translation>
    </message>
  </context>
  <context>
    <name>ReportsPage</name>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="232" />
      <source>摸排情况统计表</source>
      <translation>Survey table</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="232" />
      <source>红黄牌企业名单</source>
      <translation>Red and yellow card lists</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="233" />
      <source>关闭退出企业名单</source>
      <translation>Closed-enterprise list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="233" />
      <source>年度工作总结</source>
      <translation>Annual summary</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="236" />
      <source>报表</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="237" />
      <source>按年度、地区、行业和统计截止日期生成报表；每份报表都注明统计截止日期。表格内容为上报和公告文本，保持中文。</source>
      <translation>Reports by year, region, sector and as-of date; every report prints its as-of date. The tables are the official text for reporting and public notice and stay in Chinese.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="243" />
      <source>筛选</source>
      <translation>Filters</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="244" />
      <source>年度</source>
      <translation>Year</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="245" />
      <source>地区</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="246" />
      <source>行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="247" />
      <source>统计截止日期</source>
      <translation>As of</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="248" />
      <source>按日期筛选</source>
      <translation>Filter by date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="249" />
      <source>企业成立日期</source>
      <translation>Established</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="250" />
      <source>设备录入日期</source>
      <translation>Entered</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="251" />
      <source>企业成立日期：只统计在此期间成立的企业，未填成立日期的企业不计入；设备录入日期：只统计在此期间录入本系统的设备（仅摸排情况统计表）</source>
      <translation>Enterprise established: count only enterprises established in this period (those without a date of establishment are left out); Equipment entered: count only equipment entered into this program in this period (survey table only)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="253" />
      <source>日期自</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="254" />
      <source>日期至</source>
      <translation>To</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="256" />
      <source>不限</source>
      <translation>Any</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="258" />
      <source>预览</source>
      <translation>Preview</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="259" />
      <source>导出为：</source>
      <translation>Export as:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="261" />
      <source>导出当前报表（{format}），可取消</source>
      <translation>Export the report shown ({format}); can be cancelled</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="262" />
      <source>导入任务清单…</source>
      <translation>Import task list…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="263" />
      <source>导入上级下达的任务清单（Excel），逐行校验后一次导入</source>
      <translation>Import the official task list (Excel): every row is checked, then all of it is imported at once</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="265" />
      <location filename="../../inspect_app/ui/reports_page.py" line="308" />
      <source>全部地区</source>
      <translation>All regions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="266" />
      <location filename="../../inspect_app/ui/reports_page.py" line="309" />
      <source>全部行业</source>
      <translation>All sectors</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="375" />
      <source>正在汇总报表…</source>
      <translation>Compiling the report…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="397" />
      <source>导出报表</source>
      <translation>Export report</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="414" />
      <source>正在导出 {name}…</source>
      <translation>Exporting {name}…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="424" />
      <source>已导出 {path}（统计截止日期 {as_of}）</source>
      <translation>Exported {path} (as of {as_of})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="433" />
      <source>已取消导出，未写入文件</source>
      <translation>Export cancelled; no file written</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="435" />
      <source>导出失败：{error}</source>
      <translation>Export failed: {error}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/reports_page.py" line="439" />
      <source>正在导出报表…</source>
      <translation>Exporting the report…</translation>
    </message>
  </context>
  <context>
    <name>SettingsPage</name>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="219" />
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="220" />
      <source>检查人员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="221" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="221" />
      <source>单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="222" />
      <source>职务</source>
      <translation>Title</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="223" />
      <source>数据目录</source>
      <translation>Data directory</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="224" />
      <source>数据目录在启动时确定；如需使用其他目录，请在命令行用 --data-dir 指定。</source>
      <translation>The data directory is chosen at start-up; to use another one, start the app with --data-dir.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="225" />
      <source>位置</source>
      <translation>Location</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="226" />
      <source>界面语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="227" />
      <source>语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="228" />
      <source>立即切换，无需重启</source>
      <translation>Switches at once, no restart needed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="229" />
      <source>{year} 年度工作日历</source>
      <translation>Calendar {year}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="232" />
      <source>位置核对</source>
      <translation>Location check</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="233" />
      <source> 米</source>
      <translation> m</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="234" />
      <source>照片拍摄位置与企业位置相距超过此距离时提示</source>
      <translation>Warn when a photo was taken farther than this from the enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="235" />
      <source>地理围栏半径</source>
      <translation>Geofence radius</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="236" />
      <source>验收意见</source>
      <translation>Acceptance opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="237" />
      <location filename="../../inspect_app/ui/settings_page.py" line="241" />
      <source>发文机关</source>
      <translation>Issuing authority</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="238" />
      <location filename="../../inspect_app/ui/settings_page.py" line="241" />
      <source>文号格式</source>
      <translation>Number format</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="239" />
      <source>{year} 为年份，{serial} 为当年序号，如 郑淘汰落后验〔{year}〕{serial}号</source>
      <translation>{year} stands for the year, {serial} for the number within the year, e.g. XX [{year}] No. {serial}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="240" />
      <source>每台设备在拆除前、中、后每个阶段至少需要的照片数</source>
      <translation>Minimum photos per equipment item at each stage (before, during and after dismantling)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="243" />
      <source>每阶段照片数</source>
      <translation>Photos per stage</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="244" />
      <source>验收意见引用的工作方案</source>
      <translation>Plan cited by acceptance opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="245" />
      <source>意见书开头写“根据《方案》（文号）要求，依据《综合标准》（文号）”；自所填年份起适用，直到设置了更晚年份的方案。</source>
      <translation>The opinion opens by citing the plan and the standard system with their document numbers; it applies from the year given until a plan of a later year is set.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="247" />
      <source>如：河南省2021年利用综合标准依法依规推动落后产能退出工作方案</source>
      <translation>The plan's title as printed (in Chinese)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="248" />
      <source>如：豫淘汰落后办〔2021〕10号</source>
      <translation>The plan's document number as printed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="249" />
      <location filename="../../inspect_app/ui/settings_page.py" line="254" />
      <source>省份</source>
      <translation>Province</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="249" />
      <location filename="../../inspect_app/ui/settings_page.py" line="254" />
      <source>自年份</source>
      <translation>From year</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="250" />
      <source>方案名称</source>
      <translation>Plan title</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="250" />
      <source>方案文号</source>
      <translation>Plan document number</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="251" />
      <source>综合标准</source>
      <translation>Standard system</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="251" />
      <source>标准文号</source>
      <translation>Standard document number</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="252" />
      <source>已设置</source>
      <translation>Configured</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="254" />
      <source>方案（文号）</source>
      <translation>Plan (document no.)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="255" />
      <source>综合标准（文号）</source>
      <translation>Standard system (document no.)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="256" />
      <source>已设置的工作方案</source>
      <translation>Configured plans</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="257" />
      <source>删除所选</source>
      <translation>Remove selected</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="258" />
      <source>删除所选的一项（记入审计日志）；选中一项可在上方修改后保存</source>
      <translation>Remove the selected entry (recorded in the audit log); select an entry to edit it above, then save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="261" />
      <location filename="../../inspect_app/ui/settings_page.py" line="332" />
      <location filename="../../inspect_app/ui/settings_page.py" line="338" />
      <source>任一省份</source>
      <translation>Any province</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="264" />
      <source>本机身份</source>
      <translation>This device</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="265" />
      <source>本机编号</source>
      <translation>Device id</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="265" />
      <source>本机名称</source>
      <translation>Device name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="266" />
      <source>数据库</source>
      <translation>Database</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="268" />
      <source>保存设置</source>
      <translation>Save settings</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="269" />
      <source>保存检查人员、工作日历、位置核对和验收意见设置（Ctrl+S）</source>
      <translation>Save the inspector, calendar, location check and opinion settings (Ctrl+S)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="351" />
      <source>{year}年起</source>
      <translation>From {year}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="395" />
      <source>{province} {year}年起</source>
      <translation>{province}, from {year}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="403" />
      <source>已删除：{entry}（已记入审计日志）</source>
      <translation>Removed: {entry} (recorded in the audit log)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/settings_page.py" line="475" />
      <source>设置已保存</source>
      <translation>Settings saved</translation>
    </message>
  </context>
  <context>
    <name>SignatureDialog</name>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="546" />
      <source>{name} 签名</source>
      <translation>Signature of {name}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="547" />
      <source>请 {name} 用手写笔、手指或鼠标在下方签名。</source>
      <translation>{name}, please sign below with a stylus, finger or mouse.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="548" />
      <source>清除</source>
      <translation>Clear</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="549" />
      <source>撤销一笔</source>
      <translation>Undo stroke</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="550" />
      <source>确定</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="551" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="565" />
      <source>笔迹太少，不能作为签名：请写出姓名。</source>
      <translation>Too few strokes to be a signature: please write the name.</translation>
    </message>
  </context>
  <context>
    <name>SignaturePad</name>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="205" />
      <location filename="../../inspect_app/ui/signature_pad.py" line="398" />
      <source>签名板</source>
      <translation>Signature pad</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/signature_pad.py" line="435" />
      <source>请在此签名</source>
      <translation>Sign here</translation>
    </message>
  </context>
  <context>
    <name>StageListView</name>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="358" />
      <source>把照片或文件夹拖到这里，
或点击“导入照片…”</source>
      <translation>Drop photos or folders here,
or click “Import photos…”</translation>
    </message>
  </context>
  <context>
    <name>StagePhotoModel</name>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="226" />
      <source>无缩略图</source>
      <translation>No thumbnail</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="252" />
      <source>无拍摄时间</source>
      <translation>No capture time</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="302" />
      <source>拍摄时间：</source>
      <translation>Taken at: </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="302" />
      <source>{time}（北京时间）</source>
      <translation>{time} (Beijing time, UTC+8)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="302" />
      <source>无</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="304" />
      <source>距厂址：</source>
      <translation>From site: </translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="306" />
      <source>设备：</source>
      <translation>Equipment:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="308" />
      <source>说明：</source>
      <translation>Caption:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/photos.py" line="311" />
      <source>存疑：</source>
      <translation>Flagged:</translation>
    </message>
  </context>
  <context>
    <name>SyncPage</name>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="358" />
      <source>设备标识</source>
      <translation>Device ID</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="359" />
      <location filename="../../inspect_app/ui/sync_page.py" line="361" />
      <location filename="../../inspect_app/ui/sync_page.py" line="586" />
      <source>核查人员</source>
      <translation>Inspector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="360" />
      <source>单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="361" />
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="361" />
      <location filename="../../inspect_app/ui/sync_page.py" line="392" />
      <location filename="../../inspect_app/ui/sync_page.py" line="586" />
      <location filename="../../inspect_app/ui/sync_page.py" line="617" />
      <source>市办公室</source>
      <translation>City office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="362" />
      <location filename="../../inspect_app/ui/sync_page.py" line="511" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="362" />
      <source>已吊销</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="362" />
      <source>有效</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="363" />
      <source>登记方式</source>
      <translation>Registered by</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="364" />
      <source>已收到</source>
      <translation>Received</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="364" />
      <source>第 {n} 号</source>
      <translation>No. {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="365" />
      <source>最近导入</source>
      <translation>Last import</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="366" />
      <location filename="../../inspect_app/ui/sync_page.py" line="468" />
      <source>同步包</source>
      <translation>Bundles</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="390" />
      <source>时间（北京时间）</source>
      <translation>Time (Beijing time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="391" />
      <source>方向</source>
      <translation>Direction</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="391" />
      <source>收到</source>
      <translation>Received</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="391" />
      <source>发出</source>
      <translation>Sent</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="392" />
      <source>对方设备</source>
      <translation>Device</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="393" />
      <source>编号</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="394" />
      <location filename="../../inspect_app/ui/sync_page.py" line="518" />
      <source>结果</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="395" />
      <source>内容或原因</source>
      <translation>Contents or reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="410" />
      <source>对象</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="410" />
      <source>{table}「{row}」</source>
      <translation>{table} “{row}”</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="412" />
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="413" />
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="414" />
      <source>发现时间（北京时间）</source>
      <translation>Found (Beijing time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="467" />
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="469" />
      <source>导出同步包…</source>
      <translation>Export bundle…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="470" />
      <source>全部导出</source>
      <translation>Export everything</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="471" />
      <source>导出全部数据，而不只是对方确认以来的更改</source>
      <translation>Export all data, not only the changes since the other side's last acknowledgement</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="472" />
      <source>下发给：</source>
      <translation>Send to:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="473" />
      <source>导入同步包…</source>
      <translation>Import bundles…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="474" />
      <source>也可将 .icb 同步包文件拖放到这里导入</source>
      <translation>Or drop .icb bundle files here to import them</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="475" />
      <source>收件文件夹（办公室）</source>
      <translation>Inbox folder (office)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="476" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="477" />
      <source>立即检查</source>
      <translation>Check now</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="478" />
      <source>自动导入放入的同步包</source>
      <translation>Import bundles dropped here automatically</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="479" />
      <source>共享盘上各笔记本放置同步包的文件夹</source>
      <translation>The shared-drive folder where laptops drop their bundles</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="480" />
      <source>导入报告</source>
      <translation>Import report</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="481" />
      <source>登记的设备</source>
      <translation>Registered devices</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="482" />
      <source>同步记录</source>
      <translation>History</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="483" />
      <location filename="../../inspect_app/ui/sync_page.py" line="628" />
      <location filename="../../inspect_app/ui/sync_page.py" line="929" />
      <source>冲突</source>
      <translation>Conflicts</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="484" />
      <source>登记设备…</source>
      <translation>Register device…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="485" />
      <source>吊销…</source>
      <translation>Revoke…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="486" />
      <source>对方设备：</source>
      <translation>Device:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="487" />
      <source>保留该记录</source>
      <translation>Keep the record</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="488" />
      <source>仍然删除</source>
      <translation>Delete it after all</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="510" />
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="510" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="510" />
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="511" />
      <source>纬度</source>
      <translation>Latitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="511" />
      <source>经度</source>
      <translation>Longitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="511" />
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="512" />
      <source>联系人</source>
      <translation>Contact</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="512" />
      <source>联系电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="512" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="513" />
      <source>产能单位</source>
      <translation>Capacity unit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="513" />
      <source>数量</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="513" />
      <source>型号规格</source>
      <translation>Model / spec</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="514" />
      <source>整改期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="514" />
      <source>延期至</source>
      <translation>Extended to</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="514" />
      <source>验收组</source>
      <translation>Team</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="515" />
      <source>核查项目</source>
      <translation>Checklist</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="515" />
      <source>计划日期</source>
      <translation>Planned on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="515" />
      <source>核查日期</source>
      <translation>Visited on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="516" />
      <source>地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="516" />
      <source>照片说明</source>
      <translation>Caption</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="516" />
      <source>阶段</source>
      <translation>Stage</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="517" />
      <source>删除</source>
      <translation>Deletion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="517" />
      <source>分派设备</source>
      <translation>Assigned device</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="517" />
      <source>依据</source>
      <translation>Basis</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="518" />
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="518" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="519" />
      <source>目标日期</source>
      <translation>Target date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="519" />
      <source>疑点标记</source>
      <translation>Flags</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="523" />
      <source>同一字段被双方修改</source>
      <translation>Both sides changed the same field</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="523" />
      <source>一方删除、另一方修改</source>
      <translation>Deleted on one side, changed on the other</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="526" />
      <source>证书申请</source>
      <translation>Certificate request</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="526" />
      <source>凭证书</source>
      <translation>Certificate</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="526" />
      <source>市办公室签发</source>
      <translation>Issued by the city office</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="527" />
      <source>首个同步包</source>
      <translation>First bundle</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="530" />
      <source>已导入</source>
      <translation>Imported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="530" />
      <source>已导出</source>
      <translation>Exported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="530" />
      <source>未完成</source>
      <translation>Incomplete</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="531" />
      <source>失败</source>
      <translation>Failed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="531" />
      <source>已拒绝</source>
      <translation>Refused</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="531" />
      <source>已导入过</source>
      <translation>Already imported</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="570" />
      <source>读取同步信息失败</source>
      <translation>Could not read the sync information</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="587" />
      <source>本机角色：{role}    设备：{device}</source>
      <translation>This store: {role}    Device: {device}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="597" />
      <source>本机尚无签名身份：请先在「设置」中创建，才能导出同步包。</source>
      <translation>This device has no signing identity yet: create one under Settings before exporting bundles.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="599" />
      <source>导入各核查人员报送的同步包；向选定设备下发分派的核查任务、参考数据和回执。</source>
      <translation>Import the inspectors' submissions; send the selected device its assigned inspections, reference data and acknowledgement.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="601" />
      <source>导出本机的更改报送市办公室（{office}）；导入办公室下发的同步包。</source>
      <translation>Export this laptop's changes for the city office ({office}); import the bundles the office sends.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="604" />
      <source>导出本机的更改报送市办公室；导入办公室下发的同步包。</source>
      <translation>Export this laptop's changes for the city office; import the bundles the office sends.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="613" />
      <source>所有设备</source>
      <translation>All devices</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="627" />
      <source>冲突（{n}）</source>
      <translation>Conflicts ({n})</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="645" />
      <source>{n} 项核查待下发</source>
      <translation>to send: {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="646" />
      <source>无待下发</source>
      <translation>nothing to send</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="665" />
      <source>尚未登记核查人员的设备：请先在「登记的设备」中登记，才能下发。</source>
      <translation>No inspector device is registered yet: register one under Registered devices before sending.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="671" />
      <source>已改选 {name}：分派给它的 {assigned} 项核查中，{pending} 项待下发。</source>
      <translation>Chosen instead: {name}. Site visits assigned: {assigned}; with changes to send: {pending}.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="674" />
      <source>默认选中 {name}：分派给它的 {assigned} 项核查中，有 {pending} 项的更改尚未下发。</source>
      <translation>Selected by default: {name}, who has changes not yet sent. Site visits assigned: {assigned}; with changes to send: {pending}.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="677" />
      <source>各设备都没有待下发的核查；默认选中最近分派过核查的 {name}（已分派 {assigned} 项）。</source>
      <translation>No device has changes to send; selected by default: {name}, the device last given a site visit (site visits assigned: {assigned}).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="680" />
      <source>尚未向任何设备分派核查，下发包只含参考数据、证书和回执；默认选中列表中的第一台设备。</source>
      <translation>No site visit is assigned to any device yet, so an assignment bundle carries only reference data, certificates and the acknowledgement; the first device in the list is selected by default.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="684" />
      <source>上次下发：{when}（北京时间）。</source>
      <translation> Last sent: {when} (Beijing time).</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="700" />
      <source>导出同步包</source>
      <translation>Export bundle</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="700" />
      <source>请输入本机签名证书的口令：</source>
      <translation>Passphrase of this device's signing certificate:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="706" />
      <source>选择保存同步包的文件夹（如 U 盘）</source>
      <translation>Choose the folder to save the bundle in (e.g. a USB stick)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="713" />
      <source>请先选择接收下发包的设备。</source>
      <translation>Choose the device to send the bundle to first.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="747" />
      <source>已取消导出</source>
      <translation>Export cancelled</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="747" />
      <source>没有留下同步包文件，可以随时重新导出。</source>
      <translation>No bundle file was left behind; you can export again at any time.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="749" />
      <source>导出失败</source>
      <translation>Export failed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="754" />
      <source>正在导出同步包…</source>
      <translation>Exporting the bundle…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="760" />
      <source>选择要导入的同步包</source>
      <translation>Choose the bundles to import</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="761" />
      <source>同步包 (*.icb)</source>
      <translation>Bundles (*.icb)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="807" />
      <source>已取消导入</source>
      <translation>Import cancelled</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="807" />
      <source>正在导入的同步包没有写入任何数据，可以随时重新导入；取消前已导入的同步包保持不变。</source>
      <translation>The bundle being imported wrote nothing; you can import it again at any time. Bundles imported before the cancel stay as they are.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="811" />
      <source>导入未完成</source>
      <translation>Import not completed</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="818" />
      <source>正在导入同步包…</source>
      <translation>Importing bundles…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="841" />
      <source>选择收件文件夹</source>
      <translation>Choose the inbox folder</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="871" />
      <source>收件文件夹不存在：{path}</source>
      <translation>The inbox folder does not exist: {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="881" />
      <source>未设置收件文件夹。</source>
      <translation>No inbox folder set.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="886" />
      <source>自动导入已开启</source>
      <translation>Automatic import on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="886" />
      <source>自动导入已关闭</source>
      <translation>Automatic import off</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="887" />
      <source>{mode}；待导入 {n} 个同步包</source>
      <translation>{mode}; bundles waiting: {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="902" />
      <source>全部数据</source>
      <translation>all data</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="902" />
      <source>自上次确认以来的更改</source>
      <translation>changes since the last acknowledgement</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="903" />
      <source>已导出并复核同步包</source>
      <translation>Bundle exported and checked</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="905" />
      <source>第 {n} 号，{what}：{records} 条记录，{blobs} 个证据文件，共 {mb} MB</source>
      <translation>No. {n}, {what}: {records} records, {blobs} evidence files, {mb} MB in all</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="911" />
      <source>尚未导入同步包。导入后，这里会列出每个同步包新增、更新、未变和冲突的记录数；被拒绝的同步包会写明原因，并保存在隔离文件夹中。</source>
      <translation>No bundle imported yet. After an import this shows, for each bundle, the records added, updated, unchanged and in conflict; a refused bundle shows why, and is kept in the quarantine folder.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="919" />
      <source>已导入：{name}</source>
      <translation>Imported: {name}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="921" />
      <source>已导入过，未做更改：{name}</source>
      <translation>Already imported, nothing changed: {name}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="923" />
      <source>已拒绝：{name}</source>
      <translation>Refused: {name}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="926" />
      <source>发送设备：{sender}，同步包第 {n} 号</source>
      <translation>Sent by: {sender}, bundle no. {n}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="928" />
      <location filename="../../inspect_app/ui/sync_page.py" line="939" />
      <source>新增</source>
      <translation>Added</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="928" />
      <location filename="../../inspect_app/ui/sync_page.py" line="939" />
      <source>更新</source>
      <translation>Updated</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="928" />
      <location filename="../../inspect_app/ui/sync_page.py" line="940" />
      <source>未变</source>
      <translation>Unchanged</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="929" />
      <source>证据文件</source>
      <translation>Evidence files</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="938" />
      <source>类别</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="942" />
      <source>有 {n} 处冲突：双方都改了同一内容。已按时间较新的值保存，另一值保留在「冲突」页，请核对处理。</source>
      <translation>Conflicts: {n}. Both sides changed the same thing; the newer value was saved and the other is kept on the Conflicts tab for you to decide.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="945" />
      <source>原因：{reason}</source>
      <translation>Reason: {reason}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="946" />
      <source>本机数据未做任何更改。</source>
      <translation>Nothing in this store was changed.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="947" />
      <source>该同步包已移入隔离文件夹：{path}</source>
      <translation>The bundle was put in the quarantine folder: {path}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="952" />
      <source>注意：{text}</source>
      <translation>Note: {text}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1002" />
      <source>吊销设备</source>
      <translation>Revoke device</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1003" />
      <source>吊销 {name}（{id}）后，将拒绝它的同步包，并通知各设备。请填写原因：</source>
      <translation>After revoking {name} ({id}) its bundles are refused and every device is told. Reason:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1039" />
      <source>没有待处理的冲突</source>
      <translation>No conflicts to resolve</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1040" />
      <source>在左侧选择一处冲突</source>
      <translation>Choose a conflict on the left</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1041" />
      <source>两台设备同时修改同一内容时，较新的值先行生效，另一值保留在这里，由办公室核对后决定采用哪一个。</source>
      <translation>When two devices change the same thing at the same time, the newer value takes effect and the other is kept here until the office decides which to use.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1044" />
      <source>{table}「{row}」— {field}</source>
      <translation>{table} “{row}” — {field}</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1049" />
      <source>一方删除了这条记录，另一方同时修改了它：记录已保留。请决定保留还是删除。</source>
      <translation>One side deleted this record while the other changed it: the record was kept. Decide whether to keep or delete it.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1051" />
      <source>双方都修改了这一内容。当前生效：{value}。请选择要采用的值：</source>
      <translation>Both sides changed this. In force now: {value}. Choose the value to use:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1055" />
      <source>当前生效</source>
      <translation>In force</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1055" />
      <source>另一值</source>
      <translation>Other value</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1058" />
      <source>修改人：{who}
设备：{device}
时间：{when}（北京时间）</source>
      <translation>Changed by: {who}
Device: {device}
When: {when} (Beijing time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1059" />
      <source>未知</source>
      <translation>unknown</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1061" />
      <source>采用此值</source>
      <translation>Use this value</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="1071" />
      <source>冲突由市办公室处理：本机是核查人员的笔记本，只能查看。将本机的更改报送办公室后，办公室核对双方的值并作出决定，结果随下一个下发包送回本机。</source>
      <translation>Conflicts are settled by the city office: this is an inspector's laptop, so it can only show them. Once this laptop's changes reach the office, the office compares both values and decides; the decision comes back in the next assignment bundle.</translation>
    </message>
  </context>
  <context>
    <name>SyncRecord</name>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="67" />
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="67" />
      <source>设备</source>
      <translation>Equipment item</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="68" />
      <source>认定</source>
      <translation>Finding</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="68" />
      <source>红黄牌</source>
      <translation>Card</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="69" />
      <source>退出计划</source>
      <translation>Exit plan</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="69" />
      <source>现场核查</source>
      <translation>Site inspection</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="70" />
      <source>核查设备</source>
      <translation>Inspected equipment item</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="70" />
      <source>照片</source>
      <translation>Photo</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="71" />
      <source>验收意见</source>
      <translation>Opinion</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="71" />
      <source>行政区划</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="72" />
      <source>行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="72" />
      <source>认定方面</source>
      <translation>Aspect</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="73" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="74" />
      <source>年度日历</source>
      <translation>Year calendar</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="74" />
      <source>设备登记</source>
      <translation>Device record</translation>
    </message>
  </context>
  <context>
    <name>SyncTables</name>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="67" />
      <source>企业</source>
      <translation>Enterprises</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="67" />
      <source>设备</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="68" />
      <source>认定</source>
      <translation>Findings</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="68" />
      <source>红黄牌</source>
      <translation>Cards</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="69" />
      <source>退出计划</source>
      <translation>Exit plans</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="69" />
      <source>现场核查</source>
      <translation>Site inspections</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="70" />
      <source>核查设备</source>
      <translation>Inspected equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="70" />
      <source>照片</source>
      <translation>Photos</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="71" />
      <source>验收意见</source>
      <translation>Opinions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="71" />
      <source>行政区划</source>
      <translation>Regions</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="72" />
      <source>行业</source>
      <translation>Sectors</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="72" />
      <source>认定方面</source>
      <translation>Aspects</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="73" />
      <source>退出方式</source>
      <translation>Exit methods</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="74" />
      <source>年度日历</source>
      <translation>Year calendars</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/sync_page.py" line="74" />
      <source>设备登记</source>
      <translation>Device records</translation>
    </message>
  </context>
  <context>
    <name>TaskImportDialog</name>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="54" />
      <source>导入任务清单</source>
      <translation>Import task list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="59" />
      <source>选择文件…</source>
      <translation>Choose file…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="62" />
      <source>任务清单（.xlsx）</source>
      <translation>Task list (.xlsx)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="67" />
      <source>列对应</source>
      <translation>Column mapping</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="68" />
      <source>请确认每个字段对应的表头</source>
      <translation>Confirm the header that holds each field</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="82" />
      <source>校验</source>
      <translation>Check</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="93" />
      <source>行</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="94" />
      <source>列</source>
      <translation>Column</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="95" />
      <source>问题</source>
      <translation>Problem</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="96" />
      <source>代码</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="116" />
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="132" />
      <source>选择任务清单</source>
      <translation>Choose the task list</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="132" />
      <source>Excel 工作簿 (*.xlsx)</source>
      <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="144" />
      <source>正在读取 {name}…</source>
      <translation>Reading {name}…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="154" />
      <source>正在读取任务清单…</source>
      <translation>Reading the task list…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="167" />
      <source>（不导入）</source>
      <translation>(not imported)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="175" />
      <source>工作表“{sheet}”：表头在第 {row} 行，数据 {n} 行。请确认列对应后点“校验”。</source>
      <translation>Sheet “{sheet}”: header in row {row}, {n} data rows. Confirm the column mapping, then click “Check”.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="179" />
      <source>地区</source>
      <translation>Region</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="179" />
      <source>企业名称</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="180" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="180" />
      <source>行业</source>
      <translation>Sector</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="180" />
      <source>设备名称</source>
      <translation>Equipment</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="181" />
      <source>型号规格</source>
      <translation>Model / spec</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="181" />
      <source>数量</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="181" />
      <source>产能</source>
      <translation>Capacity</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="182" />
      <source>产能单位</source>
      <translation>Capacity unit</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="182" />
      <source>退出方式</source>
      <translation>Exit method</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="183" />
      <source>计划完成时间</source>
      <translation>Target date</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="183" />
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="183" />
      <source>成立日期</source>
      <translation>Established on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="184" />
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="208" />
      <source>正在校验任务清单…</source>
      <translation>Checking the task list…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="214" />
      <source>数据 {rows} 行全部通过校验：将新增企业 {ents} 家、设备 {eqs} 条，更新设备 {upd} 条，设定退出计划 {plans} 条；{same} 行与数据库一致。</source>
      <translation>All {rows} rows passed: {ents} new enterprises and {eqs} new equipment items, {upd} items updated, {plans} exit plans set; {same} rows already match the store.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="219" />
      <source>补填或更正已登记企业的成立日期 {n} 家。</source>
      <translation> The date of establishment of {n} registered enterprises will be filled in or corrected.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="222" />
      <source>数据 {rows} 行中有 {bad} 行存在 {n} 处错误，不能导入。请在 Excel 中改正后重新选择文件。</source>
      <translation>{bad} of {rows} rows have {n} errors; nothing can be imported. Correct them in Excel and choose the file again.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="243" />
      <source>已导入：新增企业 {ents} 家、设备 {eqs} 条，更新设备 {upd} 条，退出计划 {plans} 条。</source>
      <translation>Imported: {ents} new enterprises, {eqs} new equipment items, {upd} items updated, {plans} exit plans.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="247" />
      <source>数据库中已有这些任务，未作任何改动。</source>
      <translation>The store already holds these tasks; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="250" />
      <source>正在导入任务清单…</source>
      <translation>Importing the task list…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/task_import_dialog.py" line="263" />
      <source>已取消，未写入任何数据</source>
      <translation>Cancelled; nothing was written</translation>
    </message>
  </context>
  <context>
    <name>TeamStep</name>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="345" />
      <location filename="../../inspect_app/ui/inspections.py" line="347" />
      <source>验收组成员</source>
      <translation>Acceptance team</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="346" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="346" />
      <source>单位</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="346" />
      <source>职务</source>
      <translation>Title</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="348" />
      <source>添加成员</source>
      <translation>Add member</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="349" />
      <source>移除所选成员</source>
      <translation>Remove selected member</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="351" />
      <source>核查日期</source>
      <translation>Visited on</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="351" />
      <source>到场时间（北京时间）</source>
      <translation>Arrival (Beijing time)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="352" />
      <source>核查地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="352" />
      <source>纬度</source>
      <translation>Latitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="352" />
      <source>经度</source>
      <translation>Longitude</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="356" />
      <source>如 34.7466（可用手机定位读数）</source>
      <translation>e.g. 34.7466 (from a phone's location)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/inspections.py" line="357" />
      <source>如 113.6254</source>
      <translation>e.g. 113.6254</translation>
    </message>
  </context>
  <context>
    <name>UnsavedChanges</name>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="162" />
      <source>有未保存的修改</source>
      <translation>Unsaved changes</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="162" />
      <source>以下修改尚未保存：</source>
      <translation>These changes are not saved yet:</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="166" />
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="167" />
      <source>不保存</source>
      <translation>Don't save</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/widgets.py" line="168" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
  </context>
  <context>
    <name>UsccField</name>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="189" />
      <source>统一社会信用代码</source>
      <translation>Credit code (USCC)</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="190" />
      <source>18 位统一社会信用代码（GB 32100-2015），末位为校验码</source>
      <translation>18-character unified social credit code (GB 32100-2015); the last character is a check character</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/enterprise_dialogs.py" line="191" />
      <source>18 位，如 91410100…</source>
      <translation>18 characters, e.g. 91410100…</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <location filename="../../inspect_app/ui/app.py" line="71" />
      <source>正在载入演示数据…</source>
      <translation>Loading demo data…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/app.py" line="105" />
      <source>无法打开数据</source>
      <translation>Cannot open the data</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/app.py" line="118" />
      <source>正在创建签名身份…</source>
      <translation>Creating the signing identity…</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/app.py" line="182" />
      <source>已从备份恢复：{archive}
恢复前的数据保存在：{kept}</source>
      <translation>Restored from the backup {archive}
The data from before the restore is kept in {kept}</translation>
    </message>
  </context>
  <context>
    <name>domain</name>
    <message>
      <source>已摸排认定</source>
      <translation>Identified</translation>
    </message>
    <message>
      <source>整改中</source>
      <translation>Rectifying</translation>
    </message>
    <message>
      <source>整改达标</source>
      <translation>Rectified</translation>
    </message>
    <message>
      <source>黄牌警示</source>
      <translation>Yellow card</translation>
    </message>
    <message>
      <source>红牌关停</source>
      <translation>Red card</translation>
    </message>
    <message>
      <source>依法关停</source>
      <translation>Closed by law</translation>
    </message>
    <message>
      <source>断水断电封存</source>
      <translation>Sealed (water and power cut)</translation>
    </message>
    <message>
      <source>拆除中</source>
      <translation>Dismantling</translation>
    </message>
    <message>
      <source>已拆除</source>
      <translation>Dismantled</translation>
    </message>
    <message>
      <source>已验收</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <source>已列入</source>
      <translation>Listed</translation>
    </message>
    <message>
      <source>退出中</source>
      <translation>Exiting</translation>
    </message>
    <message>
      <source>已退出</source>
      <translation>Exited</translation>
    </message>
    <message>
      <source>已达标</source>
      <translation>Compliant</translation>
    </message>
    <message>
      <source>关停</source>
      <translation>Shut down</translation>
    </message>
    <message>
      <source>停业</source>
      <translation>Suspended</translation>
    </message>
    <message>
      <source>关闭</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>取缔</source>
      <translation>Banned</translation>
    </message>
    <message>
      <source>拆除</source>
      <translation>Dismantling</translation>
    </message>
    <message>
      <source>封存</source>
      <translation>Sealing</translation>
    </message>
    <message>
      <source>黄牌</source>
      <translation>Yellow card</translation>
    </message>
    <message>
      <source>红牌</source>
      <translation>Red card</translation>
    </message>
    <message>
      <source>摸排落后生产设备数量及产能情况上报</source>
      <translation>Survey of outdated equipment and capacity reported</translation>
    </message>
    <message>
      <source>年度关闭退出落后产能工作总结上报</source>
      <translation>Annual summary of closures reported</translation>
    </message>
    <message>
      <source>关闭退出完成（主体设备淘汰拆除完毕）</source>
      <translation>Closures done (main equipment dismantled)</translation>
    </message>
    <message>
      <source>现场检查和考核验收完成（出具书面验收意见）</source>
      <translation>On-site acceptance done (written opinions issued)</translation>
    </message>
    <message>
      <source>已拆除主体设备</source>
      <translation>Main equipment dismantled</translation>
    </message>
    <message>
      <source>已断水</source>
      <translation>Water cut</translation>
    </message>
    <message>
      <source>已断电</source>
      <translation>Power cut</translation>
    </message>
    <message>
      <source>已拆除动力装置</source>
      <translation>Power units removed</translation>
    </message>
    <message>
      <source>已封存主体设备</source>
      <translation>Main equipment sealed</translation>
    </message>
    <message>
      <source>已向社会公开承诺不再恢复生产</source>
      <translation>Public commitment not to resume production</translation>
    </message>
    <message>
      <source>已在政府门户网站公告</source>
      <translation>Announced on the government portal</translation>
    </message>
    <message>
      <source>设备未向其他地区转移</source>
      <translation>Not moved to another region</translation>
    </message>
    <message>
      <source>能耗</source>
      <translation>Energy</translation>
    </message>
    <message>
      <source>环保</source>
      <translation>Environment</translation>
    </message>
    <message>
      <source>质量</source>
      <translation>Quality</translation>
    </message>
    <message>
      <source>安全</source>
      <translation>Safety</translation>
    </message>
    <message>
      <source>技术</source>
      <translation>Technology</translation>
    </message>
    <message>
      <source>登记企业</source>
      <translation>Enterprise registered</translation>
    </message>
    <message>
      <source>修改企业信息</source>
      <translation>Enterprise edited</translation>
    </message>
    <message>
      <source>新增设备</source>
      <translation>Equipment added</translation>
    </message>
    <message>
      <source>变更设备状态</source>
      <translation>Equipment status changed</translation>
    </message>
    <message>
      <source>记录认定</source>
      <translation>Finding recorded</translation>
    </message>
    <message>
      <source>批准延期</source>
      <translation>Extension granted</translation>
    </message>
    <message>
      <source>办结认定</source>
      <translation>Finding resolved</translation>
    </message>
    <message>
      <source>亮牌</source>
      <translation>Card issued</translation>
    </message>
    <message>
      <source>撤销红黄牌</source>
      <translation>Card lifted</translation>
    </message>
    <message>
      <source>制定退出计划</source>
      <translation>Exit planned</translation>
    </message>
    <message>
      <source>安排现场核查</source>
      <translation>Site visit planned</translation>
    </message>
    <message>
      <source>保存核查草稿</source>
      <translation>Inspection draft saved</translation>
    </message>
    <message>
      <source>完成现场核查</source>
      <translation>Site inspection finished</translation>
    </message>
    <message>
      <source>设置年度工作日历</source>
      <translation>Calendar set</translation>
    </message>
    <message>
      <source>登记本机设备</source>
      <translation>Device registered</translation>
    </message>
    <message>
      <source>载入参考数据</source>
      <translation>Reference data loaded</translation>
    </message>
    <message>
      <source>新增行业</source>
      <translation>Sector added</translation>
    </message>
    <message>
      <source>新增行政区划</source>
      <translation>Region added</translation>
    </message>
    <message>
      <source>钢铁</source>
      <translation>Steel</translation>
    </message>
    <message>
      <source>煤炭</source>
      <translation>Coal</translation>
    </message>
    <message>
      <source>焦化</source>
      <translation>Coking</translation>
    </message>
    <message>
      <source>水泥</source>
      <translation>Cement</translation>
    </message>
    <message>
      <source>石化化工</source>
      <translation>Petrochemical &amp; chemical</translation>
    </message>
    <message>
      <source>电解铝</source>
      <translation>Electrolytic aluminium</translation>
    </message>
    <message>
      <source>平板玻璃</source>
      <translation>Flat glass</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="99" />
      <source>无法完成操作</source>
      <translation>Could not do that</translation>
    </message>
    <message>
      <location filename="../../inspect_app/ui/errors_dialog.py" line="99" />
      <source>运行环境问题</source>
      <translation>Problem with the environment</translation>
    </message>
  </context>
</TS>
